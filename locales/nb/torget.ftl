# torgets meldinger til innholdsskrivere, på bokmål. Hver id her finnes også i
# locales/en/torget.ftl (en test sjekker det), og en id er den faste `code` som
# skript leser i `torget check --format json`. `.help` sier hva du gjør.

## Nøklene øverst i en innholdsfil, mellom de to `+++`-linjene

frontmatter-no-start = fila begynner ikke med en `+++`-linje
    .help = en innholdsfil begynner med en linje `+++`, så nøklene (minst `title = "…"` og `summary = "…"`), så en ny `+++`-linje, og så teksten
frontmatter-not-closed = `+++`-linja etter nøklene øverst i fila mangler
    .help = glemte du den avsluttende `+++`-linja etter nøklene (title, summary …)?
frontmatter-unknown-key = `{$key}` er ikke en nøkkel torget kjenner
    .help = sjekk stavemåten; docs/content.md viser nøklene for hver slags side
frontmatter-wrong-type = `{$key}` har feil slags verdi ({$problem})
    .help = tekst trenger anførselstegn (`title = "Ny sykkelvei"`), lister trenger [ ] (`areas = ["miljo"]`), tall, datoer og true/false trenger ingen (`start = 2026-12-01`)
frontmatter-unreadable = nøklene øverst i fila kan ikke leses: {$problem}
    .help = tekst trenger anførselstegn, f.eks. `title = "Ny sykkelvei"`; tall, datoer og true/false gjør ikke det
key-inside-table = `{$key}` hører til siden, men her står den inni `{$table}`
    .help = flytt `{$key}` over den første `{$first}`: linjene under en linje i hakeparenteser hører til den

## Datoer og klokkeslett

date-format = `{$key} = {$written}` er ikke en dato torget kan lese
    .help = skriv år, måned og dag med `-` og uten anførselstegn, f.eks. `{$key} = 2026-12-01`; med klokkeslett, sett `T` foran det: `{$key} = 2026-12-01T18:00`
date-day-first = `{$key} = {$written}` har dagen først; torget leser datoer med året først
    .help = skriv `{$key} = {$rewritten}` (år-måned-dag, uten anførselstegn; klokkeslettet etter `T`)
date-as-text = `{$key} = {$written}` er ikke skrevet som en dato
    .help = skriv `{$key} = {$rewritten}`: uten anførselstegn, og med `T` mellom dato og klokkeslett
date-no-such-month = `{$key} = {$written}`: det finnes ingen måned {$month}
    .help = måneden står i midten og går fra 01 til 12: år-måned-dag, f.eks. `{$key} = 2026-12-01` eller `{$key} = 2026-12-01T18:00`
date-no-such-day = `{$key} = {$written}`: måned {$month} har {$days} dager, ikke {$day}
    .help = dagen står sist: år-måned-dag, f.eks. `{$key} = 2026-12-01` eller `{$key} = 2026-12-01T18:00`
date-no-such-hour = `{$key} = {$written}`: det finnes ingen time {$hour}
    .help = timene går fra 00 til 23, f.eks. `{$key} = 2026-12-01T18:00`
date-no-such-minute = `{$key} = {$written}`: minuttene går fra 00 til 59
    .help = skriv klokkeslettet som timer og minutter, f.eks. `{$key} = 2026-12-01T18:30`

## torget new

new-created = opprettet {$path}
new-draft-preview = {"  "}Det er et utkast: du ser det i forhåndsvisningen, `torget serve`, på {$url}
    {"  "}Sjekk det med `torget check --drafts`, og slett linja `draft = true` for å publisere det.
new-draft = {"  "}Det er et utkast: du ser det i forhåndsvisningen, `torget serve`; sjekk det med `torget check --drafts`,
    {"  "}og slett linja `draft = true` for å publisere det.
new-only-in-language = {"  "}Det er en ny side bare på `{$lang}`. For å oversette en som finnes, gi navnet dens: `torget new {$kind} "{$title}" --lang {$lang} --name <filnavnet dens>`.
new-cannot-create = kan ikke opprette {$path}
new-file-exists = fila finnes allerede; torget new skriver aldri over en fil
new-translation-exists = {$path} finnes allerede; torget new skriver aldri over en fil
new-translation-takes-areas = en oversettelse får områdene sine fra {$path}; dropp `--area`
new-unknown-language = `{$lang}` er ikke et språk på dette nettstedet (det har {$langs}); legg først `[languages.{$lang}]` til i site.toml
new-no-file-name = kan ikke lage et filnavn av tittelen «{$title}»; gi et med `--name`
new-bad-file-name = `{$name}` kan ikke være et filnavn: det er også sidens adresse; bruk `--name {$suggestion}`
new-section-only-pages = `--section` gjelder bare vanlige sider
new-section-holds-no-pages = content/{$folder}/ har ingen vanlige sider; bruk `torget new {$kind}`
new-bad-section = `{$section}` er ikke et mappenavn under content/ (små a–z, sifre og -, skilt med /)
new-exists-with-mistakes = {$path} finnes, men har feil; kjør `torget check --drafts` og rett dem først
new-page-has-no-areas = vanlige sider har ikke områder; `--area` gjelder prosjekter, arrangementer og innspill
new-unknown-area = ukjent område `{$area}`; områdene er {$areas}
new-unknown-area-none = ukjent område `{$area}`; nettstedet har ingen områder ennå
new-project-needs-an-area = et prosjekt trenger et område, og nettstedet har ingen ennå: skriv et i content/areas/ først (se docs/content.md)

## torget serve, i terminalen

serve-stop-with-ctrl-c = trykk Ctrl-C for å stoppe
serve-others-can-see-drafts = advarsel: lytter på {$address}: andre på nettverket kan se denne forhåndsvisningen, også utkastene
serve-others-can-see = advarsel: lytter på {$address}: andre på nettverket kan se denne forhåndsvisningen
serve-stopping = stopper
serve-cannot-wait = kan ikke vente på Ctrl-C
serve-no-browser = kan ikke åpne en nettleser; åpne {$url} selv

## torget translation status og mark

translation-unknown-language = `{$lang}` er ikke et språk på dette nettstedet (det har {$langs})
translation-errors-hide = merk: {$errors ->
        [one] 1 feil i innholdet skjuler
       *[other] {$errors} feil i innholdet skjuler
    } hva som står i dem, fra denne lista; `torget check` viser dem
translation-missing = mangler: skriv disse filene (`torget new <kind> "<tittel>" --lang <språk> --name <navn>` begynner en)
translation-stale = utdatert: kilden er endret etter at de ble laget; oppdater dem, og kjør så `torget translation mark <fil>`
translation-untracked = ikke fulgt: ingen `translation_of`; kjør `torget translation mark <fil>` på dem som er oppdatert
translation-from = fra {$source}
translation-counts = {$missing} mangler, {$stale} utdatert, {$untracked} ikke fulgt, {$current} oppdatert
translation-mark-section = {$file}: en seksjons `_index`-fil har ingen `translation_of`, så det er ingenting å merke; torget følger ikke med på om den er oppdatert, så når standardspråkets `_index`-fil endres, sammenlign de to selv
translation-mark-unknown-file = {$file}: ikke en side på dette nettstedet, eller den har feil (`torget check --drafts` viser dem)
translation-mark-source = {$file}: dette er fila oversettelsene lages fra; merk oversettelsene i stedet
translation-marked = merket {$file} som oversatt fra {$source} ({$hash})
translation-still-to-translate = advarsel: {$file} har fortsatt verdier merket `# TRANSLATE`
translation-no-file = finner ikke {$file}
translation-no-site = finner ikke nettstedsmappa {$root}
translation-not-in-site = {$file} er ikke i nettstedet {$root}
translation-unreadable = {$file}: nøklene øverst i fila kan ikke leses: {$problem}

## Rapportene fra build og check

count-errors = {$n} feil
count-warnings = {$n ->
        [one] 1 advarsel
       *[other] {$n} advarsler
    }
count-notes = {$n ->
        [one] 1 merknad
       *[other] {$n} merknader
    }
count-no-problems = ingen problemer
list-and = {$init} og {$last}
check-done = sjekket {$files ->
        [one] 1 innholdsfil
       *[other] {$files} innholdsfiler
    }: {$counts}
check-done-warnings-denied = sjekket {$files ->
        [one] 1 innholdsfil
       *[other] {$files} innholdsfiler
    }: {$counts} (advarsler regnes som feil)
build-content-errors = nettstedet har {$errors} feil i innholdet; ingenting ble publisert
build-done = bygde {$pages} sider og {$files} andre filer i {$out} på {$ms} ms
build-output-updated = utdata: {$changed ->
    [one] én fil
   *[other] {$changed} filer
} skrevet, {$removed ->
    [one] én
   *[other] {$removed}
} fjernet, resten uendret (hurtigbufferen husket dem)
build-pages-kept = sider: {$rendered ->
    [one] én
   *[other] {$rendered}
} laget på nytt, {$kept ->
    [one] én latt være som den var
   *[other] {$kept} latt være som de var
} (samme innhold, maler og innstillinger som ved forrige bygging)
build-search-index = søkeindeks: {$pages} sider ({$languages}), {$files} filer, {$megabytes} MB; bygd på {$ms} ms ({$percent} % av byggingen)
build-search-reused = søkeindeksen for {$languages}: uendret, hentet fra hurtigbufferen (.torget/cache)
build-search-updated = søkeindeksen for {$language}: oppdatert, {$pages ->
    [one] én side
   *[other] {$pages} sider
} lest på nytt, resten hentet fra hurtigbufferen (.torget/cache)
main-error = feil: {$error}
main-caused-by = {"  "}årsak: {$cause}

## Boksen over siden i forhåndsvisningen, når nettstedet ikke kan bygges

overlay-title = Torget kan ikke bygge nettstedet
overlay-keep = Forhåndsvisningen viser siste versjon som virket. Rett feilen og lagre fila, så forsvinner denne meldingen.
overlay-help = Slik retter du det:
overlay-close = Lukk
serve-cannot-listen = kan ikke lytte på {$address}; bruker en annen server port {$port}? Prøv --port 0 for en hvilken som helst ledig port
serve-building = bygger {$root} …
serve-cannot-start = feil: kan ikke starte serveren: {$error}
serve-out-in-sources = forhåndsvisningsmappa {$out} ligger i nettstedets {$folder}/-mappe; velg en annen --out
serve-out-not-empty = {$out} er ikke tom, og torget serve har ikke laget den; den ville blitt tømt, så velg en annen --out
serve-calls-kept = advarsel: tilbakemeldingstjenesten beholder de forrige innspillene: {$error}
serve-failed = {$what}: {$problems ->
        [one] 1 problem
       *[other] {$problems} problemer
    }; forhåndsvisningen viser fortsatt siste versjon som ble bygd
serve-search-index = søkeindeks: {$pages} sider på {$ms} ms
serve-search-failed = advarsel: søkeindeksen ble ikke oppdatert: {$error}
serve-search-preparing = søkeindeksen gjøres klar; spør igjen om et øyeblikk
serve-what-site = nettstedet
serve-what-more = {$file} og {$more} til
serve-rebuilt = {$what}: {$how}; {$pages} side(r) endret på {$ms} ms
serve-rebuilt-first = {$what}: {$how}; {$pages} side(r) endret på {$ms} ms, første side etter {$first} ms
level-error = feil
level-warning = advarsel
level-note = merknad
level-help = hjelp

## Innhold: områder, prosjekter, arrangementer, innspill og sider

items-area-nested = områder kan ikke ligge i undermapper
    .help = legg fila rett i content/areas/
items-bad-file-name = filnavnet `{$name}` kan ikke brukes i en nettadresse
    .help = gi fila navnet `{$suggestion}.md`, eller skriv `slug = "{$suggestion}"` (små a–z, sifre og `-`)
items-goals-not-translated = målene er ikke oversatt: denne siden viser målene på {$lang}
items-questions-not-translated = spørsmålene er ikke oversatt: dette skjemaet stiller dem på {$lang}
items-image-no-alt = `image` har ingen `image_alt`
    .help = beskriv bildet for innbyggere som ikke kan se det: `image_alt = "…"` (alternativ tekst er påkrevd etter WCAG)
items-image-missing = bildet `{$image}` finnes ikke
    .help = legg bildet ved siden av sidens index.md (en side i egen mappe), eller i static/ og skriv stien fra nettstedets rot, f.eks. `/bilder/x.jpg`
items-unknown-area = ukjent område `{$area}` i `areas`
    .help = kjente områder: {$areas}
items-unknown-project = ukjent prosjekt `{$project}` i `project`
    .help = `project` er navnet på en fil i content/projects/, uten `.md`; kjente: {$projects}
items-unknown-project-draft = ukjent prosjekt `{$project}` i `project`
    .help = det prosjektet er et utkast; publiser det eller fjern `project`
items-unknown-outcome-project = ukjent prosjekt `{$project}` i `projects` under `[outcome]`
    .help = hvert navn i `projects` er navnet på en fil i content/projects/, uten `.md`; kjente: {$projects}
items-unknown-outcome-project-draft = ukjent prosjekt `{$project}` i `projects` under `[outcome]`
    .help = det prosjektet er et utkast; publiser det eller ta det ut av `projects`

## Verdiene til enkeltnøkler

kinds-empty = `{$key}` er tom
    .help = skriv {$key} mellom anførselstegnene
kinds-missing-text = `{$key}` mangler
    .help = legg til `{$key} = "…"` mellom de to `+++`-linjene øverst i fila
kinds-bad-slug = `slug = "{$slug}"` kan ikke være en del av en nettadresse
    .help = bruk små a–z, sifre og `-`, f.eks. `slug = "sykkelveier"` (ikke æ, ø, å, mellomrom eller /)
kinds-date-with-time = `{$key}` skal være en dato uten klokkeslett
    .help = skriv den slik: `{$key} = 2019-08-01`
kinds-needs-date-and-time = `{$key}` trenger både dato og klokkeslett
    .help = skriv dato og lokal tid, f.eks. `{$key} = 2026-12-03T18:00:00` (tid i {$zone})
kinds-time-skipped = `{$key}` er et klokkeslett som ikke finnes i {$zone}: klokka stilles fram da
    .help = skriv dato og lokal tid, f.eks. `{$key} = 2026-12-03T18:00:00` (tid i {$zone})
kinds-invalid-time = `{$key}` er ikke et gyldig tidspunkt: {$problem}
    .help = skriv dato og lokal tid, f.eks. `{$key} = 2026-12-03T18:00:00` (tid i {$zone})
kinds-areas-empty = `areas` er tom
    .help = nevn minst ett område, f.eks. `areas = ["byutvikling"]`
kinds-missing-areas = `areas` mangler
    .help = legg til de tematiske områdene, f.eks. `areas = ["byutvikling"]`
kinds-unknown-value = `{$key} = "{$value}"` er ikke en kjent {$key}
    .help = bruk en av {$values}
kinds-not-an-address = `{$key} = "{$value}"` er ikke en nettadresse
    .help = skriv hele adressen, som begynner med https://
kinds-unknown-menu = `menu = "{$menu}"` er ikke en meny
    .help = bruk `menu = "main"` eller `menu = "footer"`
kinds-project-missing-status = `status` mangler
    .help = legg til `status = "planned"`, `"active"` eller `"completed"`
kinds-project-missing-start = `start` mangler
    .help = legg til startdatoen, f.eks. `start = 2019-08-01`
kinds-project-ends-before-start = `end` er før `start`
    .help = sjekk datoene
kinds-contact-no-email = `contact` har ingen `email`
    .help = skriv den slik: `contact = {"{"} name = "Kari Nordmann", email = "kari@example.no" {"}"}`
kinds-event-missing-start = `start` mangler
    .help = legg til f.eks. `start = 2026-12-03T18:00:00`
kinds-event-missing-end = `end` mangler
    .help = legg til f.eks. `end = 2026-12-03T20:00:00`
kinds-event-ends-before-start = `end` er før `start`
    .help = et arrangement må slutte etter at det begynner; sjekk dato og klokkeslett
kinds-event-missing-location = `location` mangler
    .help = legg til `location = {"{"} name = "…", address = "…" {"}"}`, eller `online_url` for et nettarrangement
kinds-call-missing-opens = `opens` mangler
    .help = legg til når innspillet åpner, f.eks. `opens = 2026-01-01T00:00:00`
kinds-call-missing-closes = `closes` mangler
    .help = legg til fristen, f.eks. `closes = 2026-03-01T23:59:00`
kinds-call-closes-before-opens = `closes` er før `opens`
    .help = fristen må komme etter at innspillet åpner; sjekk datoene
kinds-bad-keep-days = `keep_days` må være et helt antall dager over 0
    .help = f.eks. `keep_days = 365`
kinds-bad-rate-limit = `rate_limit` må være et helt antall svar per minutt fra 1 til {$max}
    .help = f.eks. `rate_limit = 300` for et møte der alle svarer fra samme nettverk; dropp den for tjenestens standard
kinds-call-no-questions = innspillet har ingen `[[questions]]`
    .help = legg til minst én `[[questions]]`-tabell med `id`, `kind` og `label`

## Nøkler i feil slags fil

keys-kinds = {$kind ->
        [area] områder
        [project] prosjekter
        [event] arrangementer
        [call] innspill
       *[page] vanlige sider
    }
keys-in-items = sider, ikke seksjoners `_index.md`-filer
keys-no-meaning = `{$key}` betyr ingenting i {$kind ->
        [section] en seksjons `_index`-fil
        [area] et område
        [project] et prosjekt
        [event] et arrangement
        [call] et innspill
       *[page] en side
    }
    .help = `{$key}` brukes i {$belongs}; fjern den her
keys-shared-differs = `{$key}` er ikke lik versjonen på {$lang} ({$primary})
    .help = `{$key}` er felles for alle språk: fjern den fra denne oversettelsen, eller endre begge filene

## Filer og mapper

files-no-content-folder = nettstedet har ingen `content`-mappe
    .help = lag content/_index.md for forsiden; docs/content.md forklarer oppsettet
files-cannot-read = kan ikke lese: {$problem}
files-not-utf8 = ikke UTF-8-tekst (ugyldig byte ved posisjon {$offset})
    .help = lagre fila som UTF-8 i redigeringsprogrammet
files-unknown-language = `.{$suffix}` i filnavnet er ikke et språk på dette nettstedet
    .help = legg til `[languages.{$suffix}]` i site.toml, eller gi fila et annet navn (språkene er: {$langs})
files-index-at-top = `index.md` rett i content/ er ikke en side
    .help = forsiden er content/_index.md; gi fila et annet navn

## Seksjoner og adresser

sections-no-sub-folders = {$kind ->
        [area] områdemappa
        [project] prosjektmappa
        [event] arrangementsmappa
       *[call] innspillsmappa
    } kan ikke ha undermapper
    .help = flytt filene rett inn i content/{$folder}/
sections-bad-folder-name = mappenavnet `{$name}` kan ikke brukes i en nettadresse
    .help = gi mappa navnet `{$suggestion}`, eller gi den en `_index.md` med `slug`
urls-home-listing = forsidens liste
urls-listing = lista {$section}
urls-special-page = torgets side «{$page}»
urls-clash = adressen {$url} brukes også av {$others}
    .help = gi denne siden en annen `slug`

## Spørsmålene i et innspill

questions-bad-id = spørsmåls-id-en `{$id}` er ikke et enkelt navn
    .help = bruk små a–z, sifre, `-` og `_`, f.eks. `id = "favorittpark"`
questions-reserved-id = spørsmåls-id-en `{$id}` er reservert av svarskjemaet
    .help = velg en annen id
questions-id-twice = spørsmåls-id-en `{$id}` er brukt to ganger i dette innspillet
    .help = gi hvert spørsmål sin egen id
questions-empty-label = spørsmålets `label` er tom
    .help = skriv spørsmålet innbyggerne skal lese
questions-needs-options = et `{$kind}`-spørsmål trenger minst to `options`
    .help = legg til f.eks. `options = ["Ja", "Nei"]`
questions-no-options = et `{$kind}`-spørsmål har ikke `options`
    .help = fjern `options`, eller bruk `kind = "choice"`
questions-same-option = to svaralternativer har samme tekst
    .help = gjør alle svaralternativene forskjellige
questions-min-max-not-scale = `min` og `max` gjelder bare `kind = "scale"`
    .help = fjern dem
questions-bad-scale = skalaen {$min}–{$max} kan ikke brukes
    .help = `max` må være over `min`, med høyst 21 trinn (standard er 1–5)
questions-bad-max-length = `max_length` må være mellom 1 og {$max}

## En oversettelse mot fila den er oversatt fra

translations-goal-count = denne oversettelsen har {$here} mål, versjonen på {$lang} har {$there}
    .help = oversett de samme målene i samme rekkefølge som {$primary}
translations-goal-status = mål {$goal} har en annen `status` enn i versjonen på {$lang}
    .help = et måls status er den samme på alle språk ({$primary}); endre begge filene
translations-question-count = denne oversettelsen har {$here} spørsmål, versjonen på {$lang} har {$there}
    .help = en oversettelse stiller de samme spørsmålene som {$primary}: samme id-er og typer i samme rekkefølge, like mange svaralternativer
translations-question-id = spørsmåls-id-en `{$here}` stemmer ikke med `{$there}` i versjonen på {$lang}
    .help = en oversettelse stiller de samme spørsmålene som {$primary}: samme id-er og typer i samme rekkefølge, like mange svaralternativer
translations-question-kind = spørsmålet `{$id}` er `{$here}` her, men `{$there}` i versjonen på {$lang}
    .help = en oversettelse stiller de samme spørsmålene som {$primary}: samme id-er og typer i samme rekkefølge, like mange svaralternativer
translations-question-options = spørsmålet `{$id}` har {$here} svaralternativer her, men {$there} i versjonen på {$lang}
    .help = en oversettelse stiller de samme spørsmålene som {$primary}: samme id-er og typer i samme rekkefølge, like mange svaralternativer
translations-question-rules = spørsmålet `{$id}` har annen `required`, `min`, `max` eller `max_length` enn versjonen på {$lang}
    .help = en oversettelse stiller de samme spørsmålene som {$primary}: samme id-er og typer i samme rekkefølge, like mange svaralternativer
translations-contact-without-primary = `contact` er oversatt, men versjonen på {$lang} ({$primary}) har ingen
    .help = kontaktens e-postadresse er felles: legg til `contact = {"{"} name = "…", email = "…" {"}"}` i den fila, eller fjern den her

## Det torget check finner selv

check-call-closes-minutes = innspillet stenger om {$n} minutter, {$at}
    .help = skjemaet stenger av seg selv; listene flytter det til de stengte innspillene ved neste bygging etter det
check-call-closes-hours = innspillet stenger om {$n} timer, {$at}
    .help = skjemaet stenger av seg selv; listene flytter det til de stengte innspillene ved neste bygging etter det
check-call-closes-days = innspillet stenger om {$n} dager, {$at}
    .help = skjemaet stenger av seg selv; listene flytter det til de stengte innspillene ved neste bygging etter det
check-second-main-heading = `# {$heading}` er en andre hovedoverskrift
    .help = sidens tittel er allerede hovedoverskriften: begynn tekstens overskrifter på `##`
check-heading-skips = overskriften `{$heading}` hopper fra nivå {$from} til nivå {$to}
    .help = bruk `{$marks} {$heading}`: overskriftene går ned ett nivå om gangen (tittelen er nivå 1)
check-link-no-text = lenken har ingen tekst
    .help = skriv hva leseren får mellom [ ], f.eks. `[årsrapporten for 2026](…)`
check-link-text-vague = lenketeksten `{$text}` sier ikke hvor den fører
    .help = si hva leseren får, f.eks. `[les årsrapporten for 2026](…)` i stedet for `[klikk her](…)`
check-marked-for-translation = `{$key}` er merket for oversetting
    .help = oversett verdien, og slett så kommentaren `# TRANSLATE`
check-placeholder = plassholderen `…` står fortsatt her
    .help = skriv den ekte teksten mellom anførselstegnene
check-cannot-render = nettstedet kan ikke lages: {$problem}
    .help = malen nevnt over har en feil; se «Themes, overrides and UI strings» i docs/content.md
check-image-no-alt = bildet `{$src}` har ingen alternativ tekst
    .help = beskriv hva det viser mellom [ ], f.eks. `![Barn planter poteter i skolehagen](hage.jpg)`; de som ikke kan se det, hører denne teksten
check-image-alt-is-file-name = den alternative teksten til `{$src}` er et filnavn
    .help = beskriv hva bildet viser, for dem som ikke kan se det
check-image-no-address = bildet har ingen adresse
    .help = legg bildet ved siden av index.md i en sides mappe og skriv navnet (`![…](park.jpg)`), eller i static/ og skriv stien fra nettstedets rot (`![…](/bilder/park.jpg)`)
check-image-bad-address = bildet `{$src}` er ikke en nettadresse: {$problem}
    .help = legg bildet ved siden av index.md i en sides mappe og skriv navnet (`![…](park.jpg)`), eller i static/ og skriv stien fra nettstedets rot (`![…](/bilder/park.jpg)`)
check-image-missing = bildet `{$src}` finnes ikke
    .help = legg bildet ved siden av index.md i en sides mappe og skriv navnet (`![…](park.jpg)`), eller i static/ og skriv stien fra nettstedets rot (`![…](/bilder/park.jpg)`)
check-translation-of-in-source = `translation_of` i kildefila til en oversettelse
    .help = fila på {$lang} er den de andre oversettes fra; fjern `translation_of` her
check-translation-stale = denne oversettelsen ble laget fra en eldre versjon av {$primary}
    .help = oppdater den etter teksten på {$lang}, og kjør så `torget translation mark {$file}`
check-translation-same-text = teksten er den samme som i {$primary}
    .help = oversett teksten under den andre `+++`-linja til `{$lang}`

## Lenker og adresser

links-bad-email = `{$dest}` er ikke en e-postadresse: {$problem}
    .help = skriv den slik: `<postmottak@example.no>`
links-no-address = lenken har ingen adresse
    .help = skriv hvor den fører mellom ( ), f.eks. `[avtalen](@/avtalen.md)`
links-no-heading-here = lenken `{$dest}` fører ikke til noen overskrift på denne siden
    .help = {$count ->
        [0] den siden har ingen overskrifter
       *[other] overskriftene er {$ids}
    }; en overskrifts id er teksten med små bokstaver og `-` mellom ordene; gi en din egen med `## Mål {"{"}#mal{"}"}`, den samme på alle språk
links-no-heading-there = lenken `{$dest}` fører ikke til noen overskrift `{$anchor}` i {$file}
    .help = {$count ->
        [0] den siden har ingen overskrifter
       *[other] overskriftene er {$ids}
    }; en overskrifts id er teksten med små bokstaver og `-` mellom ordene; gi en din egen med `## Mål {"{"}#mal{"}"}`, den samme på alle språk
links-not-web = lenken `{$dest}` er ikke en nettadresse: {$problem}
links-scheme-web = lenken `{$dest}` er ikke en nettadresse: {$problem}
    .help = skriv hele adressen slik nettleseren viser den, f.eks. `https://www.ntnu.no/`
links-scheme-mailto = lenken `{$dest}` er ikke en e-postadresse: {$problem}
    .help = skriv den slik: `mailto:postmottak@example.no`
links-scheme-tel = lenken `{$dest}` er ikke et telefonnummer
    .help = skriv sifre uten mellomrom, f.eks. `tel:+4772540000`
links-scheme-forbidden = lenken `{$dest}` bruker `{$scheme}:`, som innhold ikke kan lenke til
    .help = lenk til en nettside (https://) eller til innhold på dette nettstedet (@/…)
links-scheme-typo = lenken `{$dest}` begynner med `{$scheme}:`, ikke `https:`
    .help = nettadresser begynner med `https://`
links-scheme-unknown = lenken `{$dest}` begynner med `{$scheme}:`, som nettlesere kanskje ikke åpner
    .help = sjekk stavemåten; nettadresser begynner med `https://`
links-no-https = lenken `{$dest}` mangler `https://`
    .help = uten den leter nettleseren etter en side `{$dest}` på dette nettstedet: skriv `https://{$dest}`
links-names-a-file = lenken `{$dest}` peker på en fil, ikke en side
    .help = lenk til innhold med `@/` og stien under content/, f.eks. `@/{$path}`
links-leads-nowhere = lenken `{$dest}` fører ikke til noen side eller fil på dette nettstedet
    .help = lenk til innhold med `@/` og stien under content/, f.eks. `@/projects/x.md`: Torget finner da adressen på alle språk; filer legges i static/
links-contact-email = `{$email}` er ikke en e-postadresse: {$problem}
    .help = skriv den slik: `contact = {"{"} name = "Kari Nordmann", email = "kari@example.no" {"}"}`
links-front-matter-web = `{$key} = "{$url}"` er ikke en nettadresse: {$problem}
    .help = skriv hele adressen slik nettleseren viser den, f.eks. `https://example.org/live`
why-no-slashes = `{$scheme}:` må følges av `//`
why-space = den har et mellomrom (skriv `%20`)
why-character = den inneholder `{$char}`
why-no-host = den har ikke noe vertsnavn etter `//`
why-port = `:{$port}` er ikke et portnummer
why-host = `{$host}` er ikke et vertsnavn
why-no-domain = `{$host}` har ikke noe domene, f.eks. `{$host}.no`
why-no-at = den har ingen `@`
why-nothing-before-at = ingenting brukbart foran `@`
why-not-a-domain = `{$domain}` er ikke et domene

## Hva en ny bygging i forhåndsvisningen gjorde, og hvorfor

reload-languages-changed = språkene ble endret
reload-not-content = {$file} er ikke en innholdsfil
reload-unreadable = {$file} kan ikke leses
reload-new-page = {$file} er en ny side eller en seksjons `_index`-fil
reload-new-translation = {$file} er en ny oversettelse
reload-now-draft = {$file} er nå et utkast
reload-cache-lost = {$key} har filer som mellomlageret mistet
reload-mistakes = {$key} har feil
reload-new-slug = {$key} har ny `slug`
reload-changed-have-mistakes = de endrede filene har feil
rebuild-static-removed = en statisk fil ble fjernet
rebuild-pages-built = {$pages} sider bygd
rebuild-assets-copied = filene til utseendet kopiert
rebuild-last-failed = forrige bygging feilet
rebuild-files-added-or-removed = filer ble lagt til eller fjernet
rebuild-why = {$why}
rebuild-items-patched = {$n} side(r) oppdatert
rebuild-items-changed = {$n} side(r) endret, innholdet lest på nytt ({$why})

## Publiserte resultater av en innspillsrunde (`<runde>.results.json`) og `[outcome]`

results-no-such-call = resultater for `{$call}`, men det finnes ingen innspillsrunde `{$call}` i {$folder}
    .help = gi fila samme navn som innspillsrundens fil (`<runde>.results.json` ved siden av `<runde>.md`), eller slett den
results-unreadable = denne resultatfila kan ikke leses: {$problem}
    .help = last ned resultatene på nytt fra Svarpulten, eller kjør `torget results pull`
results-no-format = dette er ikke en resultatfil: den har ikke `format`
    .help = last ned resultatene på nytt fra Svarpulten, eller kjør `torget results pull`
results-newer-format = resultatfila har format {$found}, men denne torget leser format {$format}
    .help = oppgrader torget til den versjonen tilbakemeldingstjenesten kjører
results-older-format = resultatfila har format {$found}, men denne torget leser format {$format}
    .help = last ned resultatene på nytt fra Svarpulten, eller kjør `torget results pull` med denne torget
results-other-call = resultatene gjelder innspillsrunden `{$found}`, ikke `{$call}`
    .help = fila hører til ved siden av content/calls/{$found}.md; hent resultatene for `{$call}` på nytt
results-unknown-question = ukjent spørsmål `{$question}`: innspillsrunden ({$file}) har ikke et slikt spørsmål
    .help = spørsmålene er {$questions}; hent resultatene på nytt etter at du har endret et spørsmåls id
results-free-text = spørsmålet `{$question}` er fritekst: svarene publiseres aldri som tall
    .help = fjern det fra `questions`; publiser det innbyggerne skrev som temaer med sitater
results-unknown-scale-value = ukjent verdi `{$option}` for spørsmålet `{$question}`
    .help = skalaen går fra {$min} til {$max}
results-unknown-option = ukjent svaralternativ `{$option}` for spørsmålet `{$question}`
    .help = alternativene på {$lang} er {$options} (nøklene er alternativenes tekst på innspillsrundens eget språk)
results-option-above-responses = spørsmålet `{$question}` teller {$count} svar for `{$option}`, flere enn de {$responses} svarene i alt
    .help = et øyeblikksbilde teller aldri flere svar enn det kom inn; hent resultatene på nytt
results-total-above-responses = spørsmålet `{$question}` teller {$count} svar i alt, flere enn de {$responses} svarene som kom inn
    .help = hvert svar velger høyst ett alternativ; hent resultatene på nytt
results-theme-no-label = tema {$number} har ikke noe navn på {$lang}
    .help = gi hvert tema et navn på nettstedets hovedspråk: `"label": {"{"}"{$lang}": "…"{"}"}`
results-theme-above-responses = temaet `{$theme}` teller {$count} svar, flere enn de {$responses} svarene som kom inn
    .help = et tema teller svarene som er merket med det; hent resultatene på nytt
results-quote-incomplete = temaet `{$theme}` har et sitat uten `text` eller `lang`
    .help = hvert sitat trenger ordene og språket de er skrevet på, f.eks. `{"{"}"lang": "nb", "text": "…"{"}"}`
results-call-not-closed = resultater for en innspillsrunde som ikke er avsluttet: den stenger {$closes}
    .help = resultater publiseres etter at runden er avsluttet, så de ikke kan påvirke den: fjern fila til da, eller sjekk `closes` i {$file}
outcome-call-not-closed = `[outcome]` for en innspillsrunde som ikke er avsluttet: den stenger {$closes}
    .help = skriv hva runden førte til etter at den er avsluttet: fjern `[outcome]` til da, eller sjekk `closes`
outcome-no-date = `[outcome]` har ikke `date`
    .help = skriv når det ble bestemt eller gjort, f.eks. `date = 2026-03-01` under `[outcome]`
outcome-no-text = `[outcome]` har ikke `text`
    .help = skriv hva som ble gjort på grunn av svarene: `text = "…"` under `[outcome]` (Markdown)

## Feil i selve teksten, under nøklene

markdown-script = innholdet kan ikke inneholde <script>
    .help = fjern det; skript hører hjemme i temaet (templates/ eller static/), ikke i teksten
links-no-content-file = lenken `@/{$path}` peker ikke til noen innholdsfil
    .help = lenk til en innholdsfil med stien under content/, f.eks. `@/projects/universitetsskolen.md`
links-no-published-page = lenken `@/{$path}` peker ikke til noen publisert side
    .help = den siden er et utkast eller blir ikke bygget; publiser den (slett `draft = true`) eller lenk til en annen side

## site.toml

config-unreadable = site.toml kan ikke leses: {$problem}
    .help = docs/content.md viser nøklene site.toml kan ha
config-no-languages = ingen språk er satt opp
    .help = legg til en tabell `[languages.nb]` med nettstedets `title`
config-default-language = `default_language = "{$lang}"` er ikke ett av språkene som er satt opp ({$langs})
    .help = legg til en tabell `[languages.{$lang}]` for det, eller endre `default_language`
config-language-code = `{$code}` er ikke en språkkode
    .help = bruk en kode med små bokstaver, som `nb`, `nn`, `en` eller `se`
config-base-url = `base_url = "{$url}"` er ikke en hel nettadresse som begynner med http:// eller https://
    .help = skriv den slik: `base_url = "https://www.example.no"`
config-timezone = ukjent tidssone `{$zone}`
    .help = bruk et navn fra tidssonelisten, som `Europe/Oslo`
config-endpoint = `[feedback] endpoint = "{$url}"` er ikke en hel nettadresse som begynner med http:// eller https://
    .help = la den stå tom når tilbakemeldingstjenesten svarer på nettstedets egen adresse, eller skriv f.eks. `https://innspill.example.no`
config-open-data-missing = `[open_data] {$key}` mangler
    .help = {$key ->
        [publisher] skriv den slik: `publisher = "https://data.brreg.no/enhetsregisteret/api/enheter/<organisasjonsnummer>"`, med utgiverens nisifrede nummer fra Enhetsregisteret (www.brreg.no)
        [contact_email] skriv den slik: `contact_email = "postmottak@example.no"`
        [license] skriv den slik: `license = "http://publications.europa.eu/resource/authority/licence/NLOD_2_0"`, eller en annen lisens fra EUs lisensliste
       *[other] skriv den slik: `publisher_name = "Eksempel kommune"`
    }
config-open-data-invalid = `[open_data] {$key} = "{$value}"` er ikke {$key ->
        [publisher] en organisasjons adresse i Enhetsregisteret med gyldig organisasjonsnummer
        [contact_email] en e-postadresse
       *[other] adressen til en lisens i EUs lisensliste
    }
    .help = {$key ->
        [publisher] skriv den slik: `publisher = "https://data.brreg.no/enhetsregisteret/api/enheter/<organisasjonsnummer>"`, med utgiverens nisifrede nummer fra Enhetsregisteret (www.brreg.no)
        [contact_email] skriv den slik: `contact_email = "postmottak@example.no"`
       *[other] skriv den slik: `license = "http://publications.europa.eu/resource/authority/licence/NLOD_2_0"`, eller en annen lisens fra EUs lisensliste
    }
config-brand-colour = `[brand] primary = "{$colour}"` er ikke en farge
    .help = skriv den som `#rrggbb`, f.eks. `#0062ba`
config-brand-contrast = `[brand] primary = "{$colour}"` har bare kontrast {$ratio}:1 mot {$against ->
        [white] hvitt (tekst i fargen på hvitt, eller hvit tekst på fargen)
       *[tint] den lysegrå bakgrunnen #f3f5f8 (tekst i fargen på den)
    }; {$needed}:1 trengs for at alle skal kunne lese den
    .help = velg en mørkere farge
config-logo-language = `[brand.logo.{$lang}]` gjelder et språk nettstedet ikke har
    .help = bruk en av kodene under `[languages]`
config-logo-no-file = `[brand.logo.{$lang}]` har ikke `file`
    .help = skriv navnet på bildet under `static/`, f.eks. `file = "brand/logo.svg"`
config-logo-missing = `[brand.logo.{$lang}] file = "{$file}"`: nettstedet har ingen static/{$path}
    .help = legg bildet i nettstedets `static/`-mappe, eller rett stien
config-logo-no-alt = `[brand.logo.{$lang}]` har ingen `alt`-tekst
    .help = skriv hva logoen sier, vanligvis nettstedets navn

## Nettstedets tekster (i18n/<språk>.toml)

i18n-no-strings = ingen tekster for språket `{$lang}`
    .help = lag {$file} med alle nøklene i i18n/nb.toml, oversatt
i18n-missing-key = nøkkelen `{$key}` mangler for språket `{$lang}`
    .help = legg til `{$key}` i {$file}; i18n/nb.toml viser hva den sier
i18n-unreadable = tekstene kan ikke leses: {$problem}
    .help = tekst trenger anførselstegn, f.eks. `submit = "Send"`; se i18n/nb.toml for oppsettet
i18n-bad-value = `{$key}` må være en tekst, en liste med tekster eller en tabell med flertallsformer
    .help = i18n/nb.toml viser hvordan hver nøkkel skrives
