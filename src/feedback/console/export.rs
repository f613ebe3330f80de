//! `GET /admin/calls/{id}/export.csv|export.xlsx|export.json`: a call's answers as files to download,
//! audited with who and when. The files are the ones `torget feedback export` writes
//! ([`crate::feedback::export`]), hidden answers included.

use axum::extract::{Path, State as AxumState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::layout::{self, Refusal};
use super::session::Staffer;
use crate::feedback::export;
use crate::feedback::router::AppState;
use crate::feedback::staff::AuditEntry;

/// What an export is written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Csv,
    Xlsx,
    Json,
}

impl Format {
    fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
            Format::Json => "json",
        }
    }

    fn media_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Json => "application/json",
        }
    }
}

pub(crate) async fn csv(st: AxumState<AppState>, staffer: Staffer, id: Path<String>) -> Response {
    file(st, staffer, id, Format::Csv).await
}

pub(crate) async fn xlsx(st: AxumState<AppState>, staffer: Staffer, id: Path<String>) -> Response {
    file(st, staffer, id, Format::Xlsx).await
}

pub(crate) async fn json(st: AxumState<AppState>, staffer: Staffer, id: Path<String>) -> Response {
    file(st, staffer, id, Format::Json).await
}

async fn file(
    AxumState(st): AxumState<AppState>,
    staffer: Staffer,
    Path(id): Path<String>,
    format: Format,
) -> Response {
    let w = staffer.words;
    let Some(call) = st.site.get().call(&id).cloned() else {
        return Refusal::new(StatusCode::NOT_FOUND, "not_found_title", "no_such_call")
            .page(w, Some(&staffer));
    };
    let responses = match st.store.responses(call.id.clone()).await {
        Ok(rs) => rs,
        Err(e) => return layout::unavailable(w, e),
    };
    let audited = st
        .store
        .audit(AuditEntry {
            at: st.clock.now(),
            who: staffer.email.clone(),
            action: format!("export.{}", format.ext()),
            call: Some(call.id.clone()),
            detail: format!("{} answers", responses.len()),
        })
        .await;
    if let Err(e) = audited {
        return layout::unavailable(w, e);
    }
    let bytes = match format {
        Format::Csv => export::csv(&call, &responses),
        Format::Xlsx => match export::xlsx(&call, &responses) {
            Ok(bytes) => bytes,
            Err(e) => {
                tracing::error!(call = %call.id, error = %e, "the Excel export failed");
                return Refusal::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "export_failed_title",
                    "export_failed",
                )
                .page(w, Some(&staffer));
            }
        },
        Format::Json => export::json(&call, &responses),
    };
    // Call ids are slugs, but a header is no place to trust that.
    let name: String = (call.id.chars())
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
        .collect();
    let disposition = HeaderValue::from_str(&format!(
        "attachment; filename=\"{name}-answers.{}\"",
        format.ext()
    ))
    .unwrap_or(HeaderValue::from_static("attachment"));
    layout::with_headers(
        (
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(format.media_type()),
                ),
                (header::CONTENT_DISPOSITION, disposition),
            ],
            bytes,
        )
            .into_response(),
    )
}
