# torget's messages to content writers, in English. Every id here is also in
# locales/nb/torget.ftl (a test checks it), and an id is the stable `code` scripts
# read in `torget check --format json`. `.help` says what to do.

## The keys at the top of a content file, between its two `+++` lines

frontmatter-no-start = the file does not start with a `+++` line
    .help = a content file starts with a line `+++`, then its keys (at least `title = "…"` and `summary = "…"`), then another `+++` line, then the text
frontmatter-not-closed = the `+++` line after the keys at the top of the file is missing
    .help = did you forget the closing `+++` line after the keys (title, summary …)?
frontmatter-unknown-key = `{$key}` is not a key torget knows
    .help = check the spelling; docs/content.md lists the keys of each kind of page
frontmatter-wrong-type = `{$key}` has the wrong kind of value ({$problem})
    .help = text needs quotes (`title = "Ny sykkelvei"`), lists need [ ] (`areas = ["miljo"]`), numbers, dates and true/false need none (`start = 2026-12-01`)
frontmatter-unreadable = the keys at the top of the file cannot be read: {$problem}
    .help = text needs quotes, e.g. `title = "Ny sykkelvei"`; numbers, dates and true/false do not
key-inside-table = `{$key}` belongs to the page, but here it is inside `{$table}`
    .help = move `{$key}` above the first `{$first}`: the lines below a line in brackets belong to it

## Dates and times

date-format = `{$key} = {$written}` is not a date torget can read
    .help = write the year, month and day with `-` and no quotes, e.g. `{$key} = 2026-12-01`; with a time, put `T` before it: `{$key} = 2026-12-01T18:00`
date-day-first = `{$key} = {$written}` has the day first; torget reads dates year first
    .help = write it `{$key} = {$rewritten}` (year-month-day, no quotes; a time goes after `T`)
date-as-text = `{$key} = {$written}` is not written as a date
    .help = write it `{$key} = {$rewritten}`: no quotes, and `T` between the date and the time
date-no-such-month = `{$key} = {$written}`: there is no month {$month}
    .help = the month comes in the middle and goes from 01 to 12: year-month-day, e.g. `{$key} = 2026-12-01` or `{$key} = 2026-12-01T18:00`
date-no-such-day = `{$key} = {$written}`: month {$month} has {$days} days, not {$day}
    .help = the day comes last: year-month-day, e.g. `{$key} = 2026-12-01` or `{$key} = 2026-12-01T18:00`
date-no-such-hour = `{$key} = {$written}`: there is no hour {$hour}
    .help = hours go from 00 to 23, e.g. `{$key} = 2026-12-01T18:00`
date-no-such-minute = `{$key} = {$written}`: minutes go from 00 to 59
    .help = write the time as hours and minutes, e.g. `{$key} = 2026-12-01T18:30`

## torget new

new-created = created {$path}
new-draft-preview = {"  "}It is a draft: you see it in the preview, `torget serve`, at {$url}
    {"  "}Check it with `torget check --drafts`, and delete the line `draft = true` to publish it.
new-draft = {"  "}It is a draft: you see it in the preview, `torget serve`; check it with `torget check --drafts`,
    {"  "}and delete the line `draft = true` to publish it.
new-only-in-language = {"  "}It is a new item in `{$lang}` only. To translate an existing one instead, name it: `torget new {$kind} "{$title}" --lang {$lang} --name <its file name>`.
new-cannot-create = cannot create {$path}
new-file-exists = the file already exists; torget new never overwrites a file
new-translation-exists = {$path} already exists; torget new never overwrites a file
new-translation-takes-areas = a translation takes its areas from {$path}; leave out `--area`
new-unknown-language = `{$lang}` is not a language of this site (it has {$langs}); add `[languages.{$lang}]` to site.toml first
new-no-file-name = cannot make a file name from the title "{$title}"; give one with `--name`
new-bad-file-name = `{$name}` cannot be a file name: it is also the page's address; use `--name {$suggestion}`
new-section-only-pages = `--section` is only for pages
new-section-holds-no-pages = content/{$folder}/ holds no pages; use `torget new {$kind}`
new-bad-section = `{$section}` is not a folder name under content/ (lowercase a–z, digits and -, separated by /)
new-exists-with-mistakes = {$path} exists but has mistakes; run `torget check --drafts` and fix them first
new-page-has-no-areas = pages have no areas; `--area` is for projects, events and calls
new-unknown-area = unknown area `{$area}`; the areas are {$areas}
new-unknown-area-none = unknown area `{$area}`; the site has no areas yet
new-project-needs-an-area = a project needs an area, and the site has none yet: write one in content/areas/ first (see docs/content.md)

## torget serve, in the terminal

serve-stop-with-ctrl-c = press Ctrl-C to stop
serve-others-can-see-drafts = warning: listening on {$address}: others on the network can see this preview, drafts included
serve-others-can-see = warning: listening on {$address}: others on the network can see this preview
serve-stopping = stopping
serve-cannot-wait = cannot wait for Ctrl-C
serve-no-browser = cannot open a browser; open {$url} yourself

## torget translation status and mark

translation-unknown-language = `{$lang}` is not a language of this site (it has {$langs})
translation-errors-hide = note: {$errors ->
        [one] 1 content error hides
       *[other] {$errors} content errors hide
    } what it is in from this list; `torget check` shows them
translation-missing = missing: write these files (`torget new <kind> "<title>" --lang <lang> --name <name>` starts one)
translation-stale = stale: their source changed after they were made; update them, then run `torget translation mark <file>`
translation-untracked = untracked: no `translation_of`; run `torget translation mark <file>` on those that are up to date
translation-from = from {$source}
translation-counts = {$missing} missing, {$stale} stale, {$untracked} untracked, {$current} up to date
translation-mark-section = {$file}: a section's `_index` file has no `translation_of`, so there is nothing to mark; torget does not track whether it is up to date, so when the default language's `_index` file changes, compare the two yourself
translation-mark-unknown-file = {$file}: not a page of this site, or it has mistakes (`torget check --drafts` shows them)
translation-mark-source = {$file}: this is the file translations are made from; mark its translations instead
translation-marked = marked {$file} as translated from {$source} ({$hash})
translation-still-to-translate = warning: {$file} still has values marked `# TRANSLATE`
translation-no-file = cannot find {$file}
translation-no-site = cannot find the site folder {$root}
translation-not-in-site = {$file} is not in the site {$root}
translation-unreadable = {$file}: the keys at the top of the file cannot be read: {$problem}

## Reports of build and check

count-errors = {$n ->
        [one] 1 error
       *[other] {$n} errors
    }
count-warnings = {$n ->
        [one] 1 warning
       *[other] {$n} warnings
    }
count-notes = {$n ->
        [one] 1 note
       *[other] {$n} notes
    }
count-no-problems = no problems
list-and = {$init} and {$last}
check-done = checked {$files ->
        [one] 1 content file
       *[other] {$files} content files
    }: {$counts}
check-done-warnings-denied = checked {$files ->
        [one] 1 content file
       *[other] {$files} content files
    }: {$counts} (warnings denied)
build-content-errors = the site has {$errors ->
        [one] 1 content error
       *[other] {$errors} content errors
    }; nothing was published
build-done = built {$pages} pages and {$files} other files into {$out} in {$ms} ms
build-output-updated = output: {$changed ->
    [one] one file
   *[other] {$changed} files
} written, {$removed ->
    [one] one
   *[other] {$removed}
} removed, the rest unchanged (the build cache remembered them)
build-pages-kept = pages: {$rendered ->
    [one] one
   *[other] {$rendered}
} rendered, {$kept ->
    [one] one left as it was
   *[other] {$kept} left as they were
} (made from the same content, templates and settings as the last build's)
build-search-index = search index: {$pages} pages ({$languages}), {$files} files, {$megabytes} MB; built in {$ms} ms ({$percent}% of the build)
build-search-reused = search index of {$languages}: unchanged, taken from the build cache (.torget/cache)
build-search-updated = search index of {$language}: updated, {$pages ->
    [one] one page
   *[other] {$pages} pages
} read again, the rest taken from the build cache (.torget/cache)
main-error = error: {$error}
main-caused-by = {"  "}caused by: {$cause}

## The preview's box over the page, when the site cannot be built

overlay-title = Torget cannot build the site
overlay-keep = The preview shows the last version that worked. Fix the mistake and save the file; this message then goes away.
overlay-help = What to do:
overlay-close = Close
serve-cannot-listen = cannot listen on {$address}; is another server using port {$port}? Try --port 0 for any free port
serve-building = building {$root} …
serve-cannot-start = error: cannot start the server: {$error}
serve-out-in-sources = the preview folder {$out} is inside the site's {$folder}/ folder; choose another --out
serve-out-not-empty = {$out} is not empty and torget serve did not make it; it would be emptied, so choose another --out
serve-calls-kept = warning: the feedback endpoint keeps the previous calls: {$error}
serve-failed = {$what}: {$problems ->
        [one] 1 problem
       *[other] {$problems} problems
    }; the preview still shows the last version that built
serve-search-index = search index: {$pages} pages in {$ms} ms
serve-search-failed = warning: the search index was not updated: {$error}
serve-search-preparing = the search index is being prepared; ask again in a moment
serve-what-site = site
serve-what-more = {$file} and {$more} more
serve-rebuilt = {$what}: {$how}; {$pages} page(s) changed in {$ms} ms
serve-rebuilt-first = {$what}: {$how}; {$pages} page(s) changed in {$ms} ms, first page after {$first} ms
level-error = error
level-warning = warning
level-note = note
level-help = help

## Items: areas, projects, events, calls and pages

items-area-nested = areas cannot be nested in folders
    .help = put the file directly in content/areas/
items-bad-file-name = the file name `{$name}` cannot be used in a web address
    .help = rename the file to `{$suggestion}.md`, or set `slug = "{$suggestion}"` (lowercase a–z, digits and `-`)
items-goals-not-translated = the goals are not translated: this page will show the {$lang} goals
items-questions-not-translated = the questions are not translated: this form will ask them in {$lang}
items-image-no-alt = `image` has no `image_alt`
    .help = describe the image for residents who cannot see it: `image_alt = "…"` (alt text is required by WCAG)
items-image-missing = image `{$image}` does not exist
    .help = put the image beside the item's index.md (a folder item), or in static/ and write its path from the site root, e.g. `/bilder/x.jpg`
items-unknown-area = unknown area `{$area}` in `areas`
    .help = known areas: {$areas}
items-unknown-project = unknown project `{$project}` in `project`
    .help = `project` names a file in content/projects/ without `.md`; known: {$projects}
items-unknown-project-draft = unknown project `{$project}` in `project`
    .help = that project is a draft; publish it or remove `project`
items-unknown-outcome-project = unknown project `{$project}` in `[outcome]`'s `projects`
    .help = each of `projects` names a file in content/projects/ without `.md`; known: {$projects}
items-unknown-outcome-project-draft = unknown project `{$project}` in `[outcome]`'s `projects`
    .help = that project is a draft; publish it or take it out of `projects`

## The values of single keys

kinds-empty = `{$key}` is empty
    .help = write the {$key} between the quotes
kinds-missing-text = missing `{$key}`
    .help = add `{$key} = "…"` between the two `+++` lines at the top of the file
kinds-bad-slug = `slug = "{$slug}"` is not a URL segment
    .help = use lowercase a–z, digits and `-`, e.g. `slug = "bike-paths"` (no æ, ø, å, spaces or /)
kinds-date-with-time = `{$key}` must be a date without a time
    .help = write it like `{$key} = 2019-08-01`
kinds-needs-date-and-time = `{$key}` needs both a date and a time
    .help = write a local date and time, e.g. `{$key} = 2026-12-03T18:00:00` ({$zone} time)
kinds-time-skipped = `{$key}` is a time that does not exist in {$zone}: the clocks go forward then
    .help = write a local date and time, e.g. `{$key} = 2026-12-03T18:00:00` ({$zone} time)
kinds-invalid-time = `{$key}` is not a valid time: {$problem}
    .help = write a local date and time, e.g. `{$key} = 2026-12-03T18:00:00` ({$zone} time)
kinds-areas-empty = `areas` is empty
    .help = name at least one area, e.g. `areas = ["byutvikling"]`
kinds-missing-areas = missing `areas`
    .help = add the thematic areas, e.g. `areas = ["byutvikling"]`
kinds-unknown-value = `{$key} = "{$value}"` is not a known {$key}
    .help = use one of {$values}
kinds-not-an-address = `{$key} = "{$value}"` is not a web address
    .help = write the full address, starting with https://
kinds-unknown-menu = `menu = "{$menu}"` is not a menu
    .help = use `menu = "main"` or `menu = "footer"`
kinds-project-missing-status = missing `status`
    .help = add `status = "planned"`, `"active"` or `"completed"`
kinds-project-missing-start = missing `start`
    .help = add the start date, e.g. `start = 2019-08-01`
kinds-project-ends-before-start = `end` is before `start`
    .help = check the dates
kinds-contact-no-email = `contact` has no `email`
    .help = write it like `contact = {"{"} name = "Kari Nordmann", email = "kari@example.no" {"}"}`
kinds-event-missing-start = missing `start`
    .help = add e.g. `start = 2026-12-03T18:00:00`
kinds-event-missing-end = missing `end`
    .help = add e.g. `end = 2026-12-03T20:00:00`
kinds-event-ends-before-start = `end` is before `start`
    .help = an event must end after it starts; check the date and time
kinds-event-missing-location = missing `location`
    .help = add `location = {"{"} name = "…", address = "…" {"}"}`, or `online_url` for an online event
kinds-call-missing-opens = missing `opens`
    .help = add when the call opens, e.g. `opens = 2026-01-01T00:00:00`
kinds-call-missing-closes = missing `closes`
    .help = add the deadline, e.g. `closes = 2026-03-01T23:59:00`
kinds-call-closes-before-opens = `closes` is before `opens`
    .help = the deadline must come after the call opens; check the dates
kinds-bad-keep-days = `keep_days` must be a whole number of days above 0
    .help = e.g. `keep_days = 365`
kinds-bad-rate-limit = `rate_limit` must be a whole number of answers per minute from 1 to {$max}
    .help = e.g. `rate_limit = 300` for a meeting where everyone answers on the same network; leave it out for the service's default
kinds-call-no-questions = a call for input has no `[[questions]]`
    .help = add at least one `[[questions]]` table with `id`, `kind` and `label`

## Keys in the wrong kind of file

keys-kinds = {$kind ->
        [area] areas
        [project] projects
        [event] events
        [call] calls
       *[page] plain pages
    }
keys-in-items = items, not section `_index.md` files
keys-no-meaning = `{$key}` has no meaning in {$kind ->
        [section] a section's `_index` file
        [area] an area
        [project] a project
        [event] an event
        [call] a call
       *[page] a page
    }
    .help = `{$key}` is used in {$belongs}; remove it here
keys-shared-differs = `{$key}` differs from the {$lang} version ({$primary})
    .help = `{$key}` is shared by all languages: remove it from this translation, or change both files

## Files and folders

files-no-content-folder = the site has no `content` folder
    .help = create content/_index.md for the home page; docs/content.md explains the layout
files-cannot-read = cannot read: {$problem}
files-not-utf8 = not UTF-8 text (invalid byte at offset {$offset})
    .help = save the file as UTF-8 in your editor
files-unknown-language = `.{$suffix}` in the file name is not a language of this site
    .help = add `[languages.{$suffix}]` to site.toml, or rename the file (configured: {$langs})
files-index-at-top = `index.md` directly in content/ is not an item
    .help = the home page is content/_index.md; rename the file

## Sections and addresses

sections-no-sub-folders = the {$kind}s folder cannot have sub-folders
    .help = move the files directly into content/{$folder}/
sections-bad-folder-name = the folder name `{$name}` cannot be used in a web address
    .help = rename the folder to `{$suggestion}`, or give it an `_index.md` with a `slug`
urls-home-listing = the home listing
urls-listing = the {$section} listing
urls-special-page = torget's {$page} page
urls-clash = the URL {$url} is also used by {$others}
    .help = give this page another `slug`

## A call's questions

questions-bad-id = question id `{$id}` is not a plain identifier
    .help = use lowercase a–z, digits, `-` and `_`, e.g. `id = "favourite-park"`
questions-reserved-id = question id `{$id}` is reserved by the answer form
    .help = choose another id
questions-id-twice = question id `{$id}` is used twice in this call
    .help = give every question its own id
questions-empty-label = the question's `label` is empty
    .help = write the question residents will read
questions-needs-options = a `{$kind}` question needs at least two `options`
    .help = add e.g. `options = ["Ja", "Nei"]`
questions-no-options = a `{$kind}` question has no `options`
    .help = remove `options`, or use `kind = "choice"`
questions-same-option = two options have the same text
    .help = make every option different
questions-min-max-not-scale = `min` and `max` are only for `kind = "scale"`
    .help = remove them
questions-bad-scale = the scale {$min}–{$max} is not usable
    .help = `max` must be above `min`, with at most 21 steps (the default is 1–5)
questions-bad-max-length = `max_length` must be between 1 and {$max}

## A translation against the file it is translated from

translations-goal-count = this translation has {$here} goals, the {$lang} version has {$there}
    .help = translate the same goals in the same order as {$primary}
translations-goal-status = goal {$goal} has another `status` than in the {$lang} version
    .help = a goal's status is the same in every language ({$primary}); change both files
translations-question-count = this translation has {$here} questions, the {$lang} version has {$there}
    .help = a translation asks the same questions as {$primary}: same ids and kinds in the same order, same number of options
translations-question-id = question id `{$here}` does not match `{$there}` in the {$lang} version
    .help = a translation asks the same questions as {$primary}: same ids and kinds in the same order, same number of options
translations-question-kind = question `{$id}` is `{$here}` here but `{$there}` in the {$lang} version
    .help = a translation asks the same questions as {$primary}: same ids and kinds in the same order, same number of options
translations-question-options = question `{$id}` has {$here} options here but {$there} in the {$lang} version
    .help = a translation asks the same questions as {$primary}: same ids and kinds in the same order, same number of options
translations-question-rules = question `{$id}` differs in `required`, `min`, `max` or `max_length` from the {$lang} version
    .help = a translation asks the same questions as {$primary}: same ids and kinds in the same order, same number of options
translations-contact-without-primary = `contact` is translated, but the {$lang} version ({$primary}) has none
    .help = the contact's e-mail address is shared: add `contact = {"{"} name = "…", email = "…" {"}"}` to that file, or remove it here

## torget check's own findings

check-call-closes-minutes = the call closes in {$n} minutes, at {$at}
    .help = the form closes by itself; listings move it to the closed calls at the next build after that
check-call-closes-hours = the call closes in {$n} hours, at {$at}
    .help = the form closes by itself; listings move it to the closed calls at the next build after that
check-call-closes-days = the call closes in {$n} days, at {$at}
    .help = the form closes by itself; listings move it to the closed calls at the next build after that
check-second-main-heading = `# {$heading}` is a second main heading
    .help = the page's title is already its main heading: start the text's headings at `##`
check-heading-skips = the heading `{$heading}` skips from level {$from} to level {$to}
    .help = use `{$marks} {$heading}`: headings go down one level at a time (the title is level 1)
check-link-no-text = the link has no text
    .help = write what the reader gets between the [ ], e.g. `[årsrapporten for 2026](…)`
check-link-text-vague = the link text `{$text}` does not say where it leads
    .help = name what the reader gets, e.g. `[les årsrapporten for 2026](…)` instead of `[klikk her](…)`
check-marked-for-translation = `{$key}` is marked for translation
    .help = translate the value, then delete the `# TRANSLATE` comment
check-placeholder = the placeholder `…` is still here
    .help = write the real text between the quotes
check-cannot-render = the site cannot be rendered: {$problem}
    .help = the template named above has a mistake; see "Themes, overrides and UI strings" in docs/content.md
check-image-no-alt = the image `{$src}` has no alt text
    .help = describe what it shows between the [ ], e.g. `![Barn planter poteter i skolehagen](hage.jpg)`; people who cannot see it hear this text
check-image-alt-is-file-name = the alt text of `{$src}` is a file name
    .help = describe what the image shows, for people who cannot see it
check-image-no-address = the image has no address
    .help = put the image beside a folder item's index.md and write its name (`![…](park.jpg)`), or in static/ and write its path from the site root (`![…](/bilder/park.jpg)`)
check-image-bad-address = the image `{$src}` is not a web address: {$problem}
    .help = put the image beside a folder item's index.md and write its name (`![…](park.jpg)`), or in static/ and write its path from the site root (`![…](/bilder/park.jpg)`)
check-image-missing = the image `{$src}` does not exist
    .help = put the image beside a folder item's index.md and write its name (`![…](park.jpg)`), or in static/ and write its path from the site root (`![…](/bilder/park.jpg)`)
check-translation-of-in-source = `translation_of` in the source file of a translation
    .help = the {$lang} file is what the others are translated from; remove `translation_of` here
check-translation-stale = this translation was made from an older version of {$primary}
    .help = bring it up to date with the {$lang} text, then run `torget translation mark {$file}`
check-translation-same-text = the text is the same as in {$primary}
    .help = translate the text below the second `+++` line into `{$lang}`

## Links and addresses

links-bad-email = `{$dest}` is not an e-mail address: {$problem}
    .help = write it like `<postmottak@example.no>`
links-no-address = the link has no address
    .help = write where it leads between the ( ), e.g. `[the agreement](@/avtalen.md)`
links-no-heading-here = the link `{$dest}` leads to no heading on this page
    .help = {$count ->
        [0] that page has no headings
       *[other] its headings are {$ids}
    }; a heading's id is its text in lowercase with `-` between words; give one your own with `## Mål {"{"}#mal{"}"}`, the same in every language
links-no-heading-there = the link `{$dest}` leads to no heading `{$anchor}` in {$file}
    .help = {$count ->
        [0] that page has no headings
       *[other] its headings are {$ids}
    }; a heading's id is its text in lowercase with `-` between words; give one your own with `## Mål {"{"}#mal{"}"}`, the same in every language
links-not-web = the link `{$dest}` is not a web address: {$problem}
links-scheme-web = the link `{$dest}` is not a web address: {$problem}
    .help = write the whole address as the browser shows it, e.g. `https://www.ntnu.no/`
links-scheme-mailto = the link `{$dest}` is not an e-mail address: {$problem}
    .help = write it like `mailto:postmottak@example.no`
links-scheme-tel = the link `{$dest}` is not a phone number
    .help = write digits without spaces, e.g. `tel:+4772540000`
links-scheme-forbidden = the link `{$dest}` uses `{$scheme}:`, which content may not link to
    .help = link to a web page (https://) or to content on this site (@/…)
links-scheme-typo = the link `{$dest}` starts with `{$scheme}:`, not `https:`
    .help = web addresses start with `https://`
links-scheme-unknown = the link `{$dest}` starts with `{$scheme}:`, which browsers may not open
    .help = check the spelling; web addresses start with `https://`
links-no-https = the link `{$dest}` has no `https://`
    .help = without it, the browser looks for a page `{$dest}` on this site: write `https://{$dest}`
links-names-a-file = the link `{$dest}` names a file, not a page
    .help = link to content by its path under content/ with `@/`, e.g. `@/{$path}`
links-leads-nowhere = the link `{$dest}` leads to no page or file of this site
    .help = link to content with `@/` and its path under content/, e.g. `@/projects/x.md`: Torget then finds its address in every language; files go in static/
links-contact-email = `{$email}` is not an e-mail address: {$problem}
    .help = write it like `contact = {"{"} name = "Kari Nordmann", email = "kari@example.no" {"}"}`
links-front-matter-web = `{$key} = "{$url}"` is not a web address: {$problem}
    .help = write the whole address as the browser shows it, e.g. `https://example.org/live`
why-no-slashes = `{$scheme}:` must be followed by `//`
why-space = it contains a space (write `%20`)
why-character = it contains `{$char}`
why-no-host = it has no host name after `//`
why-port = `:{$port}` is not a port number
why-host = `{$host}` is not a host name
why-no-domain = `{$host}` has no domain, e.g. `{$host}.no`
why-no-at = it has no `@`
why-nothing-before-at = nothing usable before the `@`
why-not-a-domain = `{$domain}` is not a domain

## What a rebuild in the preview did, and why

reload-languages-changed = the languages changed
reload-not-content = {$file} is not a content file
reload-unreadable = {$file} cannot be read or parsed
reload-new-page = {$file} is a new page or a section's `_index` file
reload-new-translation = {$file} is a new translation
reload-now-draft = {$file} is now a draft
reload-cache-lost = {$key} has files the cache lost
reload-mistakes = {$key} has mistakes
reload-new-slug = {$key} has a new slug
reload-changed-have-mistakes = the changed files have mistakes
rebuild-static-removed = a static file was removed
rebuild-pages-built = {$pages} pages built
rebuild-assets-copied = assets copied
rebuild-last-failed = the last rebuild failed
rebuild-files-added-or-removed = files were added or removed
rebuild-why = {$why}
rebuild-items-patched = {$n} item(s) patched
rebuild-items-changed = {$n} item(s) changed, content loaded again ({$why})

## A call's published results (`<call>.results.json`) and its `[outcome]`

results-no-such-call = results for `{$call}`, but there is no call `{$call}` in {$folder}
    .help = name the file after the call's file (`<call>.results.json` beside `<call>.md`), or remove it
results-unreadable = this results file cannot be read: {$problem}
    .help = download the results again from the staff console, or run `torget results pull`
results-no-format = this is not a results file: it has no `format`
    .help = download the results again from the staff console, or run `torget results pull`
results-newer-format = the results file is of format {$found}, but this torget reads format {$format}
    .help = upgrade torget to the version the feedback endpoint runs
results-older-format = the results file is of format {$found}, but this torget reads format {$format}
    .help = download the results again from the staff console, or run `torget results pull` with this torget
results-other-call = the results are of the call `{$found}`, not of `{$call}`
    .help = this file belongs beside content/calls/{$found}.md; pull the results of `{$call}` again
results-unknown-question = unknown question `{$question}`: the call ({$file}) has no such question
    .help = its questions are {$questions}; pull the results again after changing a question's id
results-free-text = question `{$question}` is free text: its answers are never published as counts
    .help = remove it from `questions`; publish what residents wrote as themes with quotes
results-unknown-scale-value = unknown value `{$option}` of question `{$question}`
    .help = the scale runs from {$min} to {$max}
results-unknown-option = unknown option `{$option}` of question `{$question}`
    .help = its options in {$lang} are {$options} (the keys are the options' text in the call's own language)
results-option-above-responses = question `{$question}` counts {$count} answers for `{$option}`, more than the {$responses} responses
    .help = a snapshot never counts more answers than responses; pull the results again
results-total-above-responses = question `{$question}` counts {$count} answers in all, more than the {$responses} responses
    .help = each response chooses one option at most; pull the results again
results-theme-no-label = theme {$number} has no label in {$lang}
    .help = give every theme a label in the site's default language: `"label": {"{"}"{$lang}": "…"{"}"}`
results-theme-above-responses = theme `{$theme}` counts {$count} answers, more than the {$responses} responses
    .help = a theme counts the answers tagged with it; pull the results again
results-quote-incomplete = theme `{$theme}` has a quote without `text` or `lang`
    .help = every quote needs the words and the language they are in, e.g. `{"{"}"lang": "nb", "text": "…"{"}"}`
results-call-not-closed = results of a call that is not closed yet: it closes {$closes}
    .help = results are published after the call closes, so they cannot steer it: remove this file until then, or check `closes` in {$file}
outcome-call-not-closed = `[outcome]` of a call that is not closed yet: it closes {$closes}
    .help = say what came of the call after it closes: remove `[outcome]` until then, or check `closes`
outcome-no-date = `[outcome]` has no `date`
    .help = add when it was decided or done, e.g. `date = 2026-03-01` under `[outcome]`
outcome-no-text = `[outcome]` has no `text`
    .help = say what was done because of the answers: `text = "…"` under `[outcome]` (Markdown)

## Mistakes in the text itself, below the keys

markdown-script = content may not contain <script>
    .help = remove it; scripts belong in the theme (templates/ or static/), not in the text
links-no-content-file = the link `@/{$path}` points to no content file
    .help = link to a content file by its path under content/, e.g. `@/projects/universitetsskolen.md`
links-no-published-page = the link `@/{$path}` points to no published page
    .help = that page is a draft or not built; publish it (delete `draft = true`) or link to another page

## site.toml

config-unreadable = site.toml cannot be read: {$problem}
    .help = see docs/content.md for the keys site.toml takes
config-no-languages = no languages are configured
    .help = add a `[languages.nb]` table with the site's `title`
config-default-language = `default_language = "{$lang}"` is not one of the configured languages ({$langs})
    .help = add a `[languages.{$lang}]` table for it, or change `default_language`
config-language-code = `{$code}` is not a language code
    .help = use a lowercase code such as `nb`, `nn`, `en` or `se`
config-base-url = `base_url = "{$url}"` is not a whole web address starting with http:// or https://
    .help = write it like `base_url = "https://www.example.no"`
config-timezone = unknown time zone `{$zone}`
    .help = use a name from the time zone list, such as `Europe/Oslo`
config-endpoint = `[feedback] endpoint = "{$url}"` is not a whole web address starting with http:// or https://
    .help = leave it empty when the feedback endpoint answers on the site's own address, or write e.g. `https://innspill.example.no`
config-open-data-missing = `[open_data] {$key}` is missing
    .help = {$key ->
        [publisher] write it like `publisher = "https://data.brreg.no/enhetsregisteret/api/enheter/<organisation number>"`, with the publisher's 9-digit number from Enhetsregisteret (www.brreg.no)
        [contact_email] write it like `contact_email = "postmottak@example.no"`
        [license] write it like `license = "http://publications.europa.eu/resource/authority/licence/NLOD_2_0"`, or another licence from the EU licence vocabulary
       *[other] write it like `publisher_name = "Eksempel kommune"`
    }
config-open-data-invalid = `[open_data] {$key} = "{$value}"` is not {$key ->
        [publisher] an organisation's address in Enhetsregisteret with a valid organisation number
        [contact_email] an e-mail address
       *[other] a licence's address in the EU licence vocabulary
    }
    .help = {$key ->
        [publisher] write it like `publisher = "https://data.brreg.no/enhetsregisteret/api/enheter/<organisation number>"`, with the publisher's 9-digit number from Enhetsregisteret (www.brreg.no)
        [contact_email] write it like `contact_email = "postmottak@example.no"`
       *[other] write it like `license = "http://publications.europa.eu/resource/authority/licence/NLOD_2_0"`, or another licence from the EU licence vocabulary
    }
config-brand-colour = `[brand] primary = "{$colour}"` is not a colour
    .help = write it as `#rrggbb`, e.g. `#0062ba`
config-brand-contrast = `[brand] primary = "{$colour}"` contrasts only {$ratio}:1 with {$against ->
        [white] white (text in the colour on white, or white text on the colour)
       *[tint] the light grey background #f3f5f8 (text in the colour on it)
    }; {$needed}:1 is needed so everyone can read it
    .help = choose a darker colour
config-logo-language = `[brand.logo.{$lang}]` is for a language the site does not have
    .help = use one of the codes under `[languages]`
config-logo-no-file = `[brand.logo.{$lang}]` has no `file`
    .help = name the image under `static/`, e.g. `file = "brand/logo.svg"`
config-logo-missing = `[brand.logo.{$lang}] file = "{$file}"`: there is no static/{$path} in the site
    .help = put the image under the site's `static/` folder, or correct the path
config-logo-no-alt = `[brand.logo.{$lang}]` has no `alt` text
    .help = write what the logo says, usually the site's name

## The site's UI strings (i18n/<language>.toml)

i18n-no-strings = no UI strings for language `{$lang}`
    .help = create {$file} with every key of i18n/nb.toml, translated
i18n-missing-key = missing key `{$key}` for language `{$lang}`
    .help = add `{$key}` to {$file}; see i18n/nb.toml for what it says
i18n-unreadable = the UI strings cannot be read: {$problem}
    .help = text needs quotes, e.g. `submit = "Send"`; see i18n/nb.toml for the layout
i18n-bad-value = `{$key}` must be a text, a list of texts or a table of plural forms
    .help = see i18n/nb.toml for how each key is written
