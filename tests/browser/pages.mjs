// One page of every type the site has, in both languages: what the accessibility, privacy and
// weight tests visit. Adding a page type is one line here.
//
// `status` is the HTTP status the page must answer with (default 200); `ready`, a CSS selector
// to wait for before the page is checked, for a page whose script fills it in (search results).

/** A receipt code in the endpoint's format (not stored: pages only show it). */
export const SAMPLE_RECEIPT = '7K2M-Q9XD-4F8R-ZT1A-C3VB';

export const OPEN_CALL = 'hva-bor-vi-forske-pa';
export const CLOSED_CALL = 'digital-dialog-2020';

export const PAGES = [
  { type: 'home', nb: '/', en: '/en/' },
  { type: 'calls', nb: '/innspill/', en: '/en/calls/' },
  { type: 'projects', nb: '/prosjekter/', en: '/en/projects/' },
  { type: 'events', nb: '/arrangementer/', en: '/en/events/' },
  { type: 'areas', nb: '/omrader/', en: '/en/areas/' },
  { type: 'news', nb: '/nyheter/', en: '/en/news/' },
  { type: 'area', nb: '/omrader/byutvikling/', en: '/en/areas/urban-development/' },
  { type: 'project', nb: '/prosjekter/digital-innbyggerdialog/', en: '/en/projects/digital-citizen-dialogue/' },
  { type: 'event', nb: '/arrangementer/folkemote-2031/', en: '/en/events/folkemote-2031/' },
  { type: 'news item', nb: '/nyheter/avtalen-signert/', en: '/en/news/agreement-signed/' },
  { type: 'page', nb: '/om/', en: '/en/about/' },
  { type: 'open call', nb: `/innspill/${OPEN_CALL}/`, en: '/en/calls/what-should-we-research/' },
  { type: 'upcoming call', nb: '/innspill/sykkelveier-og-byrom-2035/', en: '/en/calls/cycle-paths-and-urban-spaces-2035/' },
  { type: 'closed call', nb: `/innspill/${CLOSED_CALL}/`, en: '/en/calls/digital-dialogue-2020/' },
  // A closed call with published results (charts with tables, themes, quotes) and an outcome.
  { type: 'call with results', nb: '/innspill/universitetskommunen-i-byen/', en: '/en/calls/the-university-municipality-in-town/' },
  { type: 'results', nb: '/resultater/', en: '/en/results/' },
  { type: '404', nb: '/finnes-ikke/', en: '/en/does-not-exist/', status: 404 },
  { type: 'thank-you', nb: `/takk/?receipt=${SAMPLE_RECEIPT}`, en: `/en/thanks/?receipt=${SAMPLE_RECEIPT}` },
  {
    type: 'thank-you (no JS)',
    nb: `/api/calls/${OPEN_CALL}/thanks?lang=nb&receipt=${SAMPLE_RECEIPT}`,
    en: `/api/calls/${OPEN_CALL}/thanks?lang=en&receipt=${SAMPLE_RECEIPT}`,
  },
  { type: 'withdraw', nb: '/trekk-tilbake/', en: '/en/withdraw/' },
  { type: 'withdrawn', nb: `/api/withdrawn?lang=nb&call=${OPEN_CALL}`, en: `/api/withdrawn?lang=en&call=${OPEN_CALL}` },
  { type: 'search', nb: '/sok/?q=barnehage', en: '/en/search/?q=school', ready: '.result' },
  { type: 'open data', nb: '/apne-data/', en: '/en/open-data/' },
];

/** Every page as `{ type, lang, path, status, ready }`. */
export function everyPage() {
  return PAGES.flatMap((p) =>
    ['nb', 'en'].map((lang) => ({ type: p.type, lang, path: p[lang], status: p.status ?? 200, ready: p.ready })),
  );
}
