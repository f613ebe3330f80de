//! Serving the built site: only files inside the output folder, whatever the request path
//! says. A path is refused when it has `..` or `.` segments (also percent-encoded), encoded
//! slashes, backslashes or NUL bytes; a file is refused when it resolves (through symlinks) to
//! anywhere outside the output folder. Folders are served by their `index.html`, a missing file
//! by the language's `404.html` with status 404. Nothing is cached: the preview changes.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use percent_encoding::percent_decode_str;

use super::reload;
use crate::content::urls::{FEED, INDEX, NOT_FOUND};

/// Why a request path cannot name a file of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// `..`, `.`, an encoded `/` or `\`, a backslash or NUL: never needed by a real link.
    BadPath,
    /// The file is a symlink to somewhere outside the output folder.
    Outside,
}

/// Where the site is served from.
pub struct Site {
    /// Canonical path of the output folder.
    pub root: PathBuf,
    /// Served for HTML requests while no build has succeeded yet.
    pub placeholder: String,
}

/// The decoded segments of a request path, or why there are none.
pub fn segments(raw_path: &str) -> Result<Vec<String>, Refused> {
    let Some(rest) = raw_path.strip_prefix('/') else {
        return Err(Refused::BadPath);
    };
    let mut out = Vec::new();
    for raw in rest.split('/') {
        // Encoded separators would let a segment hold a path.
        let lower = raw.to_ascii_lowercase();
        if raw.contains('\\') || lower.contains("%2f") || lower.contains("%5c") {
            return Err(Refused::BadPath);
        }
        let seg = percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| Refused::BadPath)?;
        if seg == ".." || seg == "." || seg.contains(['\0', '/', '\\']) {
            return Err(Refused::BadPath);
        }
        if seg.is_empty() {
            continue;
        }
        out.push(seg.into_owned());
    }
    Ok(out)
}

/// The file a path's segments name under `root`, checked to be inside it after following
/// symlinks. `Ok(None)`: there is no such file.
pub fn resolve(root: &Path, segments: &[String]) -> Result<Option<PathBuf>, Refused> {
    let mut path = root.to_path_buf();
    for s in segments {
        path.push(s);
    }
    if path.is_dir() {
        path.push(INDEX);
    }
    let Ok(real) = path.canonicalize() else {
        return Ok(None);
    };
    if !real.starts_with(root) {
        return Err(Refused::Outside);
    }
    Ok(real.is_file().then_some(real))
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => {
            if path.file_name().is_some_and(|n| n == FEED) {
                "application/atom+xml"
            } else {
                "application/xml"
            }
        }
        "ics" => "text/calendar; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        _ => "application/octet-stream",
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/plain; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        text,
    )
        .into_response()
}

async fn file_response(path: &Path, status: StatusCode, head: bool) -> Response {
    let Ok(bytes) = tokio::fs::read(path).await else {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    };
    let kind = content_type(path);
    let body = if kind.starts_with("text/html") {
        reload::inject(&bytes, status == StatusCode::NOT_FOUND)
    } else {
        bytes
    };
    let len = body.len();
    let mut response = Response::new(if head {
        Body::empty()
    } else {
        Body::from(body)
    });
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(len));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

/// Every request no other route took.
pub async fn serve(State(site): State<Arc<Site>>, request: Request<Body>) -> Response {
    let head = request.method() == Method::HEAD;
    if !(head || request.method() == Method::GET) {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed\n");
    }
    let raw = request.uri().path();
    let segments = match segments(raw) {
        Ok(s) => s,
        Err(_) => return plain(StatusCode::BAD_REQUEST, "bad path\n"),
    };
    match resolve(&site.root, &segments) {
        Err(_) => return plain(StatusCode::FORBIDDEN, "forbidden\n"),
        Ok(Some(path)) => {
            // A folder without its slash: relative links in its page need the slash.
            let named_folder = site.root.join(segments.join("/")).is_dir();
            if named_folder && !raw.ends_with('/') {
                let to = format!("{raw}/");
                return (
                    StatusCode::PERMANENT_REDIRECT,
                    [
                        (header::LOCATION, to.as_str()),
                        (header::CACHE_CONTROL, "no-store"),
                    ],
                )
                    .into_response();
            }
            return file_response(&path, StatusCode::OK, head).await;
        }
        Ok(None) => {}
    }
    // Not found: the language's own 404 page when the path starts with a language folder.
    let not_found = segments
        .first()
        .map(|first| site.root.join(first).join(NOT_FOUND))
        .filter(|p| p.is_file())
        .unwrap_or_else(|| site.root.join(NOT_FOUND));
    if not_found.is_file() {
        return file_response(&not_found, StatusCode::NOT_FOUND, head).await;
    }
    if site.root.join(INDEX).is_file() {
        return plain(StatusCode::NOT_FOUND, "not found\n");
    }
    // Nothing is built yet: the first build failed. The page shows the problems.
    let html = reload::inject(site.placeholder.as_bytes(), true);
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_in_any_spelling_is_refused() {
        for bad in [
            "/../site.toml",
            "/a/../../site.toml",
            "/%2e%2e/site.toml",
            "/%2E%2E/site.toml",
            "/..%2fsite.toml",
            "/..%2Fsite.toml",
            "/%2e%2e%2fsite.toml",
            "/a/%2e%2e%5csite.toml",
            "/..\\site.toml",
            "/a\\b",
            "/./index.html",
            "/%00",
            "/%ff",
            "site.toml",
        ] {
            assert_eq!(segments(bad), Err(Refused::BadPath), "{bad}");
        }
    }

    #[test]
    fn ordinary_paths_are_decoded() {
        assert_eq!(segments("/").unwrap(), Vec::<String>::new());
        assert_eq!(
            segments("/prosjekter/skolehage/").unwrap(),
            ["prosjekter", "skolehage"]
        );
        assert_eq!(
            segments("/bilder/%C3%A6%20x.jpg").unwrap(),
            ["bilder", "æ x.jpg"]
        );
        assert_eq!(segments("//etc/passwd").unwrap(), ["etc", "passwd"]);
    }

    #[test]
    fn a_symlink_out_of_the_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("out");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
        std::fs::write(root.join("sub/index.html"), "<p>hi</p>").unwrap();
        let root = root.canonicalize().unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret.txt"), root.join("leak.txt"))
                .unwrap();
            std::os::unix::fs::symlink(tmp.path(), root.join("up")).unwrap();
            std::os::unix::fs::symlink(root.join("sub/index.html"), root.join("inside.html"))
                .unwrap();
            assert_eq!(resolve(&root, &["leak.txt".into()]), Err(Refused::Outside));
            assert_eq!(
                resolve(&root, &["up".into(), "secret.txt".into()]),
                Err(Refused::Outside)
            );
            assert!(resolve(&root, &["inside.html".into()]).unwrap().is_some());
        }
        assert_eq!(
            resolve(&root, &["sub".into()]).unwrap(),
            Some(root.join("sub/index.html"))
        );
        assert_eq!(resolve(&root, &["nothing".into()]).unwrap(), None);
    }

    #[test]
    fn content_types_name_the_charset_of_text() {
        assert_eq!(
            content_type(Path::new("a/index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("atom.xml")), "application/atom+xml");
        assert_eq!(
            content_type(Path::new("x/calendar.ics")),
            "text/calendar; charset=utf-8"
        );
        assert_eq!(
            content_type(Path::new("style.CSS")),
            "text/css; charset=utf-8"
        );
    }
}
