use std::{cmp::Ordering, path::PathBuf};

use anyhow::{bail, Result};
use either::Either;
use fossick::{FossickedData, Fossicker};
use futures::future::join_all;
use hashbrown::HashMap;
use index::PagefindIndexes;
use options::{PagefindInboundConfig, SearchOptions};
use output::SyntheticFile;
use rayon::prelude::*;
pub use service::api;
use wax::walk::Entry;
use wax::Glob;


mod fossick;
mod fragments;
mod index;
#[macro_use]
mod logging;
pub mod options;
mod output;
mod playground;
pub mod runner;
#[cfg(feature = "serve")]
mod serve;
mod service;
mod utils;

const PAGEFIND_VERSION: &str = env!("CARGO_PKG_VERSION");

struct SearchState {
    options: SearchOptions,
    fossicked_pages: Vec<FossickedData>,
    /// Torget patch: where each URL is in `fossicked_pages`.
    page_positions: HashMap<String, usize>,
    /// Torget patch: whether `build_indexes` moved the pages' word data into the index, and
    /// whether pages were added since.
    pages_moved: bool,
    added_since_build: bool,
    built_indexes: Vec<PagefindIndexes>,
}

/// Torget patch: what adding one page reports back, without a copy of its word data.
pub struct FossickedSummary {
    pub word_count: usize,
    pub url: String,
    pub meta: std::collections::BTreeMap<String, String>,
}

impl SearchState {
    pub fn new(options: SearchOptions) -> Self {
        Self {
            options,
            fossicked_pages: vec![],
            page_positions: HashMap::new(),
            pages_moved: false,
            added_since_build: false,
            built_indexes: vec![],
        }
    }

    pub fn walk_for_files(&self, dir: PathBuf, glob: String) -> Result<Vec<Fossicker>> {
        let log = &self.options.logger;

        log.status("[Walking source directory]");
        if let Ok(glob) = Glob::new(&glob) {
            Ok(glob
                .walk(&dir)
                .filter_map(Result::ok)
                .map(|e| e.into_path())
                .map(|file_path| Fossicker::new_relative_to(file_path, dir.clone()))
                .collect())
        } else {
            log.error(format!(
                "Error: Provided glob \"{}\" did not parse as a valid glob.",
                self.options.glob
            ));
            bail!(
                "Error: Provided glob \"{}\" did not parse as a valid glob.",
                self.options.glob
            );
        }
    }

    /// Fossick files in parallel using rayon
    pub fn fossick_many(&mut self, dir: PathBuf, glob: String) -> Result<usize> {
        let files = self.walk_for_files(dir.clone(), glob)?;
        let log = &self.options.logger;

        log.info(format!(
            "Found {} file{} matching {}",
            files.len(),
            plural!(files.len()),
            self.options.glob
        ));
        log.status("[Parsing files]");

        // Use rayon for parallel HTML parsing - this is the main performance win
        // Partition results into successes and failures to report errors
        let (results, errors): (Vec<_>, Vec<_>) = files
            .into_par_iter()
            .map(|f| f.fossick_sync(&self.options))
            .partition_map(|r| match r {
                Ok(data) => Either::Left(data),
                Err(e) => Either::Right(e),
            });

        // Report any errors that occurred during parallel processing
        if !errors.is_empty() {
            log.warn(format!(
                "{} file{} failed to index",
                errors.len(),
                plural!(errors.len())
            ));
            for err in errors.iter().take(5) {
                log.warn(format!("  - {}", err));
            }
            if errors.len() > 5 {
                log.warn(format!("  ... and {} more", errors.len() - 5));
            }
        }

        let existing_page_count = self.fossicked_pages.len();
        for (i, page) in results.iter().enumerate() {
            self.page_positions
                .entry(page.url.clone())
                .or_insert(existing_page_count + i);
        }
        self.fossicked_pages.extend(results);
        self.added_since_build = true;

        Ok(self.fossicked_pages.len() - existing_page_count)
    }

    /// Torget patch: finds an earlier page with the same URL through an index instead of
    /// comparing every page's URL (quadratic over a site), and keeps the page instead of a
    /// copy of it, returning only what the API reports back.
    pub fn fossick_one(&mut self, file: Fossicker) -> Result<FossickedSummary> {
        let result = file.fossick_sync(&self.options)?;
        let summary = FossickedSummary {
            word_count: result.fragment.data.word_count,
            url: result.fragment.data.url.clone(),
            meta: result.fragment.data.meta.clone(),
        };
        self.keep_page(result);
        Ok(summary)
    }

    /// Torget patch: adds a read page, replacing an earlier one with the same URL.
    fn keep_page(&mut self, result: FossickedData) {
        self.added_since_build = true;
        match self.page_positions.get(&result.url) {
            Some(&existing) => self.fossicked_pages[existing] = result,
            None => {
                self.page_positions
                    .insert(result.url.clone(), self.fossicked_pages.len());
                self.fossicked_pages.push(result);
            }
        }
    }

    /// Torget patch: adds many pages in order as [`Self::fossick_one`] would. Pages given as
    /// data (custom records) are kept unread: the index reads their words a batch at a time
    /// when it is built, so that a whole site's word data is never in memory at once. Other
    /// pages are read now, in parallel.
    pub fn fossick_all(&mut self, files: Vec<Fossicker>) -> Result<usize> {
        let results: Vec<Result<FossickedData>> = files
            .into_par_iter()
            .map(|f| match f.into_unread() {
                Ok(unread) => Ok(unread),
                Err(f) => f.fossick_sync(&self.options),
            })
            .collect();
        let mut added = 0;
        for result in results {
            self.keep_page(result?);
            added += 1;
        }
        Ok(added)
    }

    pub async fn build_indexes(&mut self) -> Result<()> {
        self.build_indexes_keeping(None).await.map(|_| ())
    }

    /// Torget patch: [`Self::build_indexes`], and with `keep`, a one-language index without
    /// sort keys written into it for `update_indexes` (see `index::build_indexes_keeping`).
    /// Says whether it was.
    pub async fn build_indexes_keeping(
        &mut self,
        keep: Option<&mut dyn std::io::Write>,
    ) -> Result<bool> {
        // Torget patch: the pages are moved into the index rather than copied (a copy of every
        // page's word data doubled the memory an index takes), so a second build can only
        // reuse the first one.
        if self.pages_moved {
            if self.added_since_build {
                bail!(
                    "pages were added after the search index was built; \
                     this build of pagefind builds an index once"
                );
            }
            return Ok(false);
        }
        self.added_since_build = false;
        let log = &self.options.logger;

        let used_custom_body = self.fossicked_pages.iter().any(|page| page.has_custom_body);
        if used_custom_body {
            log.info("Found a data-pagefind-body element on the site.\n↳ Ignoring pages without this tag.");
        } else {
            log.info(
                "Did not find a data-pagefind-body element on the site.\n↳ Indexing all <body> elements on the site."
            );
        }

        if self.options.root_selector == "html" {
            let pages_without_html = self
                .fossicked_pages
                .iter()
                .filter(|p| !p.has_html_element)
                .map(|p| format!("  * {:?} has no <html> element", p.fragment.data.url))
                .collect::<Vec<_>>();
            if !pages_without_html.is_empty() {
                log.warn(format!(
                    "{} page{} found without an <html> element. \n\
                    Pages without an outer <html> element will not be processed by default. \n\
                    If adding this element is not possible, use the root selector config to target a different root element. \n\
                    Run Pagefind with --verbose for more information.",
                    pages_without_html.len(),
                    plural!(pages_without_html.len())
                ));
                log.v_warn(pages_without_html.join("\n"));
            }
        }

        log.status("[Reading languages]");

        let mut language_map: HashMap<String, Vec<fossick::FossickedData>> = HashMap::new();
        for page in self.fossicked_pages.iter_mut() {
            if used_custom_body && !page.has_custom_body && !page.force_inclusion {
                continue;
            }
            // Torget patch: an unread page's words are read, and an empty page left out,
            // when the index is built.
            if page.word_data.is_empty() && !page.is_unread() {
                continue;
            }
            let page = std::mem::replace(page, page.moved_shell());
            language_map
                .entry(page.language.clone())
                .or_default()
                .push(page);
        }
        self.pages_moved = true;

        log.info(format!(
            "Discovered {} language{}: {}",
            language_map.len(),
            plural!(language_map.len()),
            language_map.keys().cloned().collect::<Vec<_>>().join(", ")
        ));
        log.v_info(
            language_map
                .iter()
                .map(|(k, v)| format!("  * {}: {} page{}", k, v.len(), plural!(v.len())))
                .collect::<Vec<_>>()
                .join("\n"),
        );

        let primary_language = language_map
            .iter()
            .filter(|(k, _)| k.as_str() != "unknown")
            .max_by(|(lang_a, pages_a), (lang_b, pages_b)| {
                let size = pages_a.len().cmp(&pages_b.len());
                if matches!(size, Ordering::Equal) {
                    return lang_b.cmp(lang_a);
                }
                size
            })
            .map(|(k, _)| k.clone())
            .unwrap_or_else(|| "unknown".into());

        if let Some(mut unknown_pages) = language_map.remove("unknown") {
            if !language_map.is_empty() {
                log.warn(format!(
                    "{} page{} found without an html lang attribute. \n\
                    Merging these pages with the {} language, as that is the main language on this site. \n\
                    Run Pagefind with --verbose for more information.",
                    unknown_pages.len(),
                    plural!(unknown_pages.len()),
                    primary_language
                ));

                log.v_warn(
                    unknown_pages
                        .iter()
                        .map(|p| {
                            format!("  * {:?} has no html lang attribute", p.fragment.data.url)
                        })
                        .collect::<Vec<_>>()
                        .join("\n"),
                );

                if let Some(primary) = language_map.get_mut(&primary_language) {
                    primary.append(&mut unknown_pages);
                } else {
                    language_map.insert(primary_language, unknown_pages);
                }
            } else {
                language_map.insert(primary_language, unknown_pages);
            }
        }

        log.status("[Building search indexes]");

        // Torget patch: with `keep`, a one-language index is kept for `update_indexes`.
        let mut keep = keep.filter(|_| language_map.len() == 1);
        let mut kept = false;
        let built_indexes: Vec<_> = language_map
            .into_iter()
            .map(|(language, pages)| {
                index::build_indexes_keeping(pages, language, &self.options, keep.take())
            })
            .collect();
        // Torget patch: a language whose index failed is an error, not left out in silence.
        self.built_indexes = Vec::with_capacity(built_indexes.len());
        for built in built_indexes {
            let (indexes, was_kept) = built?;
            kept |= was_kept;
            self.built_indexes.push(indexes);
        }

        let stats = self.built_indexes.iter().fold((0, 0, 0, 0), |mut stats, index| {
            log.v_info(format!(
                "Language {}: \n  Indexed {} page{}\n  Indexed {} word{}\n  Indexed {} filter{}\n  Indexed {} sort{}\n",
                index.language,
                index.page_count,
                plural!(index.page_count),
                index.word_count,
                plural!(index.word_count),
                index.filter_indexes.len(),
                plural!(index.filter_indexes.len()),
                index.sorts.len(),
                plural!(index.sorts.len())
            ));

            #[cfg(not(feature = "extended"))]
            match index.language.split('-').next() {
                Some("zh") => log.warn("⚠ Indexing Chinese in non-extended mode. \n\
                                        In this mode, Pagefind will not segment words that are not whitespace separated. \n\
                                        Running the extended Pagefind binary will include this segmentation. \n\
                                        Either download the pagefind_extended binary, or run via npx pagefind."),
                Some("ja") => log.warn("⚠ Indexing Japanese in non-extended mode. \n\
                                        In this mode, Pagefind will not segment words that are not whitespace separated. \n\
                                        Running the extended Pagefind binary will include this segmentation. \n\
                                        Either download the pagefind_extended binary, or run via npx pagefind."),
                _ => {}
            };

            stats.0 += index.page_count;
            stats.1 += index.word_count;
            stats.2 += index.filter_indexes.len();
            stats.3 += index.sorts.len();
            stats
        });

        log.info(format!(
            "Total: \n  Indexed {} language{}\n  Indexed {} page{}\n  Indexed {} word{}\n  Indexed {} filter{}\n  Indexed {} sort{}",
            self.built_indexes.len(),
            plural!(self.built_indexes.len()),
            stats.0,
            plural!(stats.0),
            stats.1,
            plural!(stats.1),
            stats.2,
            plural!(stats.2),
            stats.3,
            plural!(stats.3)
        ));

        if stats.1 == 0 && !self.options.running_as_service {
            log.error(
                "Error: Pagefind was not able to build an index. \n\
                Most likely, the directory passed to Pagefind was empty \
                or did not contain any html files.",
            );
            bail!(
                "Error: Pagefind was not able to build an index. \n\
                Most likely, the directory passed to Pagefind was empty \
                or did not contain any html files."
            );
        }
        Ok(kept)
    }

    /// Torget patch: on an instance with no pages added, the index kept by an earlier instance
    /// (see `build_indexes_keeping`), read from `kept`, with the pages of `files` replacing
    /// those of the same URLs, reading only their words; the index is kept again into `keep`.
    /// `false` when it cannot be updated so (see `index::update_indexes`); the instance is then
    /// as it was, to be built whole.
    pub fn update_indexes(
        &mut self,
        kept: &mut dyn std::io::Read,
        files: Vec<Fossicker>,
        keep: &mut dyn std::io::Write,
    ) -> Result<bool> {
        if !self.fossicked_pages.is_empty() || self.pages_moved {
            bail!("a kept index can only be updated by an instance with no pages of its own");
        }
        let pages = files
            .into_par_iter()
            .map(|f| f.fossick_sync(&self.options))
            .collect::<Result<Vec<FossickedData>>>()?;
        match index::update_indexes(kept, pages, &self.options, keep)? {
            Some(indexes) => {
                self.built_indexes = vec![indexes];
                self.pages_moved = true;
                self.added_since_build = false;
                Ok(true)
            }
            None => Ok(false),
        }
    }

    pub async fn write_files(&self, custom_outdir: Option<PathBuf>) -> PathBuf {
        let outdir = custom_outdir.unwrap_or(self.options.bundle_output.clone());

        let index_entries: Vec<_> = self
            .built_indexes
            .iter()
            .map(|indexes| indexes.get_lang_meta(&self.options))
            .collect();

        join_all(
            self.built_indexes
                .iter()
                .map(|indexes| async { indexes.write_files_to_disk(&self.options, &outdir).await }),
        )
        .await;

        output::write_common_to_disk(
            index_entries,
            self.options.write_playground,
            &outdir,
            &self.options,
        )
        .await;

        outdir
    }

    pub async fn get_files(&self) -> Vec<SyntheticFile> {
        self.get_files_with(None).await
    }

    /// Torget patch: [`Self::get_files`], compressing through `memo` when given.
    pub async fn get_files_with(
        &self,
        memo: Option<&dyn output::CompressionMemo>,
    ) -> Vec<SyntheticFile> {
        let outdir = &self.options.bundle_output;

        let index_entries: Vec<_> = self
            .built_indexes
            .iter()
            .map(|indexes| indexes.get_lang_meta(&self.options))
            .collect();

        let mut files: Vec<_> =
            join_all(self.built_indexes.iter().map(|indexes| async {
                indexes.write_files_to_memory(&self.options, outdir, memo).await
            }))
            .await
            .into_iter()
            .flatten()
            .collect();

        files.extend(
            output::write_common_to_memory(
                index_entries,
                self.options.write_playground,
                outdir,
                &self.options,
            )
            .await
            .into_iter(),
        );

        // SyntheticFiles should only return the relative path to the file
        // _within_ the bundle directory — placing them in a final location
        // is left to the API consumer.
        for file in files.iter_mut() {
            if let Ok(relative_path) = file.filename.strip_prefix(outdir) {
                file.filename = relative_path.to_path_buf();
            }
        }

        files
    }

    pub fn log_start(&self) {
        let log = &self.options.logger;

        #[cfg(not(feature = "extended"))]
        log.status(&format!("Running Pagefind v{}", self.options.version));
        #[cfg(feature = "extended")]
        log.status(&format!(
            "Running Pagefind v{} (Extended)",
            self.options.version
        ));
        log.v_info("Running in verbose mode");

        log.info(format!(
            "Running from: {:?}",
            self.options.working_directory
        ));
        log.info(format!(
            "Source:       {:?}",
            self.options
                .site_source
                .strip_prefix(&self.options.working_directory)
                .unwrap_or(&self.options.site_source)
        ));
        log.info(format!(
            "Output:       {:?}",
            self.options
                .bundle_output
                .strip_prefix(&self.options.working_directory)
                .unwrap_or(&self.options.bundle_output)
        ));
    }
}
