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
