//! The catalogue of the site's open data: `data/catalog.ttl` and `data/catalog.jsonld`, one
//! DCAT-AP-NO 2 graph in Turtle and JSON-LD, which Norway's national catalogue (data.norge.no)
//! harvests. A `dcat:Catalog` with one `dcat:Dataset` per file set in `data/`, each with a JSON
//! and a CSV `dcat:Distribution`.
//!
//! Publisher, contact and licence come from `[open_data]` in `site.toml`; titles, descriptions
//! and keywords from each language's UI strings (`[open_data]`); `dct:modified` from the
//! content, never the clock, so a build of the same content writes the same bytes. Every node
//! has an IRI under `<base_url>/data/catalog` (no blank nodes), so the two files compare as
//! plain sets of triples. Terms from the EU vocabularies carry their `skos:inScheme`, which is
//! how DCAT-AP-NO's SHACL shapes recognise them without fetching the vocabularies.

use std::collections::HashMap;

use oxrdf::vocab::{rdf, xsd};
use oxrdf::{Literal, NamedNode, NamedOrBlankNode, Term, Triple};

use super::{Inputs, OutFile};
use crate::config::OpenDataConfig;
use crate::open_data::{DATASETS, FORMATS};

const DCAT: &str = "http://www.w3.org/ns/dcat#";
const DCT: &str = "http://purl.org/dc/terms/";
const FOAF: &str = "http://xmlns.com/foaf/0.1/";
const VCARD: &str = "http://www.w3.org/2006/vcard/ns#";
const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// The EU's authority tables (data themes, access rights, file types, licences).
const EU: &str = "http://publications.europa.eu/resource/authority/";
const IANA: &str = "https://www.iana.org/assignments/media-types/";

/// `data/catalog.ttl` and `data/catalog.jsonld`, or nothing for a site without `[open_data]`.
pub fn all(inp: &Inputs<'_>) -> anyhow::Result<Vec<OutFile>> {
    let Some(open_data) = &inp.config.open_data else {
        return Ok(Vec::new());
    };
    let triples = grouped(graph(inp, open_data));
    Ok(vec![
        ("data/catalog.ttl".into(), turtle(&triples)?),
        ("data/catalog.jsonld".into(), json_ld(&triples)?),
    ])
}

/// The catalogue's IRI; its datasets, distributions and contact point are fragments of it.
pub fn catalog_iri(base: &str) -> String {
    format!("{base}/data/catalog")
}

/// Triples in the order they are written: each subject's together, so both serialisations
/// group them.
struct Graph(Vec<Triple>);

impl Graph {
    fn add(&mut self, s: &NamedNode, p: &str, o: impl Into<Term>) {
        self.0.push(Triple::new(
            NamedOrBlankNode::NamedNode(s.clone()),
            NamedNode::new_unchecked(p),
            o,
        ));
    }

    fn iri(&mut self, s: &NamedNode, p: &str, o: &str) {
        self.add(s, p, NamedNode::new_unchecked(o));
    }

    fn text(&mut self, s: &NamedNode, p: &str, text: &str, lang: &str) {
        self.add(
            s,
            p,
            Literal::new_language_tagged_literal_unchecked(text, lang.to_ascii_lowercase()),
        );
    }

    fn plain(&mut self, s: &NamedNode, p: &str, text: &str) {
        self.add(s, p, Literal::new_simple_literal(text));
    }

    fn date(&mut self, s: &NamedNode, date: Option<jiff::civil::Date>) {
        if let Some(d) = date {
            self.add(
                s,
                &format!("{DCT}modified"),
                Literal::new_typed_literal(d.to_string(), xsd::DATE),
            );
        }
    }

    /// A term of an EU authority table, with the table it belongs to.
    fn concept(&mut self, table: &str, code: &str) -> String {
        let iri = format!("{EU}{table}/{code}");
        let node = NamedNode::new_unchecked(&iri);
        self.iri(&node, &format!("{SKOS}inScheme"), &format!("{EU}{table}"));
        iri
    }
}

fn graph(inp: &Inputs<'_>, open_data: &OpenDataConfig) -> Vec<Triple> {
    let base = inp.config.base();
    let langs = inp.config.language_codes();
    let t = |lang: &str, key: &str| {
        let site = inp.config.title(lang);
        inp.i18n
            .strings(lang)
            .get(&format!("open_data.{key}"), &[("site", &site)])
            .unwrap_or_default()
    };
    let catalog_iri = catalog_iri(base);
    let catalog = NamedNode::new_unchecked(&catalog_iri);
    let publisher = NamedNode::new_unchecked(&open_data.publisher);
    let contact = NamedNode::new_unchecked(format!("{catalog_iri}#contact"));
    let open_data_page = |lang: &str, fragment: &str| {
        let url = crate::content::special_url(inp.config, inp.i18n, lang, "open_data");
        format!("{base}{url}#{fragment}")
    };
    let mut g = Graph(Vec::new());

    g.iri(&catalog, rdf::TYPE.as_str(), &format!("{DCAT}Catalog"));
    g.plain(&catalog, &format!("{DCT}identifier"), &catalog_iri);
    for lang in &langs {
        g.text(
            &catalog,
            &format!("{DCT}title"),
            &t(lang, "catalog_title"),
            lang,
        );
        g.text(
            &catalog,
            &format!("{DCT}description"),
            &t(lang, "catalog_description"),
            lang,
        );
    }
    g.iri(&catalog, &format!("{DCT}publisher"), publisher.as_str());
    g.iri(&catalog, &format!("{FOAF}homepage"), &format!("{base}/"));
    g.iri(&catalog, &format!("{DCT}license"), &open_data.license);
    g.date(
        &catalog,
        DATASETS.iter().filter_map(|d| d.modified(inp.lib)).max(),
    );
    for d in DATASETS {
        g.iri(
            &catalog,
            &format!("{DCAT}dataset"),
            &format!("{catalog_iri}#{}", d.name),
        );
    }

    g.iri(&publisher, rdf::TYPE.as_str(), &format!("{FOAF}Agent"));
    g.text(
        &publisher,
        &format!("{FOAF}name"),
        &open_data.publisher_name,
        &inp.config.default_language,
    );
    g.plain(
        &publisher,
        &format!("{DCT}identifier"),
        open_data.organisation_number(),
    );

    g.iri(
        &contact,
        rdf::TYPE.as_str(),
        &format!("{VCARD}Organization"),
    );
    g.text(
        &contact,
        &format!("{VCARD}fn"),
        &open_data.publisher_name,
        &inp.config.default_language,
    );
    g.iri(
        &contact,
        &format!("{VCARD}hasEmail"),
        &format!("mailto:{}", open_data.contact_email),
    );

    let theme = g.concept("data-theme", "GOVE");
    let public = g.concept("access-right", "PUBLIC");
    let file_types: Vec<String> = FORMATS
        .iter()
        .map(|(_, code, _)| g.concept("file-type", code))
        .collect();
    let license = NamedNode::new_unchecked(&open_data.license);
    g.iri(
        &license,
        &format!("{SKOS}inScheme"),
        &format!("{EU}licence"),
    );

    for d in DATASETS {
        let dataset = NamedNode::new_unchecked(format!("{catalog_iri}#{}", d.name));
        g.iri(&dataset, rdf::TYPE.as_str(), &format!("{DCAT}Dataset"));
        g.plain(&dataset, &format!("{DCT}identifier"), dataset.as_str());
        for lang in &langs {
            let title = t(lang, &format!("{}_title", d.name));
            g.text(&dataset, &format!("{DCT}title"), &title, lang);
            let description = t(lang, &format!("{}_description", d.name));
            g.text(&dataset, &format!("{DCT}description"), &description, lang);
            for keyword in t(lang, &format!("{}_keywords", d.name)).split(',') {
                let keyword = keyword.trim();
                if !keyword.is_empty() {
                    g.text(&dataset, &format!("{DCAT}keyword"), keyword, lang);
                }
            }
            // The field documentation: the dataset's part of the open-data page.
            g.iri(
                &dataset,
                &format!("{FOAF}page"),
                &open_data_page(lang, d.name),
            );
        }
        g.iri(&dataset, &format!("{DCT}publisher"), publisher.as_str());
        g.iri(&dataset, &format!("{DCAT}theme"), &theme);
        g.iri(&dataset, &format!("{DCAT}contactPoint"), contact.as_str());
        g.iri(&dataset, &format!("{DCT}accessRights"), &public);
        g.date(&dataset, d.modified(inp.lib));
        for (ext, _, _) in FORMATS {
            g.iri(
                &dataset,
                &format!("{DCAT}distribution"),
                &format!("{catalog_iri}#{}-{ext}", d.name),
            );
        }
        for ((ext, _, media_type), file_type) in FORMATS.iter().zip(&file_types) {
            let dist = NamedNode::new_unchecked(format!("{catalog_iri}#{}-{ext}", d.name));
            let file = format!("{base}/data/{}.{ext}", d.name);
            g.iri(&dist, rdf::TYPE.as_str(), &format!("{DCAT}Distribution"));
            g.plain(&dist, &format!("{DCT}title"), &format!("{}.{ext}", d.name));
            g.iri(&dist, &format!("{DCAT}accessURL"), &file);
            g.iri(&dist, &format!("{DCAT}downloadURL"), &file);
            g.iri(&dist, &format!("{DCT}format"), file_type);
            g.iri(
                &dist,
                &format!("{DCAT}mediaType"),
                &format!("{IANA}{media_type}"),
            );
            g.iri(&dist, &format!("{DCT}license"), &open_data.license);
            for lang in &langs {
                g.iri(&dist, &format!("{FOAF}page"), &open_data_page(lang, d.name));
            }
        }
    }
    g.0
}

/// The triples with each subject's together and, within it, each predicate's together (in
/// the order they were added), so Turtle writes `a , b` and JSON-LD one object per node.
fn grouped(mut triples: Vec<Triple>) -> Vec<Triple> {
    let mut first: HashMap<String, usize> = HashMap::new();
    for t in &triples {
        let n = first.len();
        first.entry(t.subject.to_string()).or_insert(n);
        let n = first.len();
        first
            .entry(format!("{} {}", t.subject, t.predicate))
            .or_insert(n);
    }
    triples.sort_by_key(|t| {
        (
            first[&t.subject.to_string()],
            first[&format!("{} {}", t.subject, t.predicate)],
        )
    });
    triples
}

const PREFIXES: [(&str, &str); 6] = [
    ("dcat", DCAT),
    ("dct", DCT),
    ("foaf", FOAF),
    ("skos", SKOS),
    ("vcard", VCARD),
    ("xsd", "http://www.w3.org/2001/XMLSchema#"),
];

fn turtle(triples: &[Triple]) -> anyhow::Result<Vec<u8>> {
    let mut serializer = oxttl::TurtleSerializer::new();
    for (prefix, iri) in PREFIXES {
        serializer = serializer.with_prefix(prefix, iri)?;
    }
    let mut w = serializer.for_writer(Vec::new());
    for t in triples {
        w.serialize_triple(t)?;
    }
    Ok(w.finish()?)
}

/// JSON-LD with the same prefixes, indented so people can read it.
fn json_ld(triples: &[Triple]) -> anyhow::Result<Vec<u8>> {
    let mut serializer = oxjsonld::JsonLdSerializer::new();
    for (prefix, iri) in PREFIXES {
        serializer = serializer.with_prefix(prefix, iri)?;
    }
    let mut w = serializer.for_writer(Vec::new());
    for t in triples {
        w.serialize_quad(t.as_ref().in_graph(oxrdf::GraphNameRef::DefaultGraph))?;
    }
    let compact: serde_json::Value = serde_json::from_slice(&w.finish()?)?;
    Ok(serde_json::to_vec_pretty(&compact)?)
}
