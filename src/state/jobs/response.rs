//! A finished job's response file, fetched through the proxy and read in the browser,
//! and the downloads made from it and from the list. The team history fetches and
//! offers the response files of everyone's mass actions the same way
//! ([`fetch_response`], [`save_response_zip`], [`save_resubmit_csv`]).

use super::{Jobs, ResponseState};
use crate::platform::zuora::Zuora;
use crate::platform::{browser, download};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::wording::page;
use mass_updater_domain::{
    response_file_name, resubmit_file_name, JobId, ResponseFileError, ResponseSummary,
};
use std::future::Future;
use std::sync::Arc;

/// Fetches the response file at Zuora's `output_url` through the proxy and reads it;
/// an address of another form is refused at once, as a failed state.
pub(crate) fn fetch_response(
    zuora: &Zuora,
    output_url: &str,
) -> Result<impl Future<Output = ResponseState> + 'static, ResponseState> {
    let fetching = zuora
        .response_file(output_url)
        .map_err(|e| ResponseState::Failed(ResponseFileError::BadAddress(e)))?;
    Ok(async move {
        match fetching.await {
            Ok((200, bytes)) => match ResponseSummary::from_zip(&bytes) {
                Ok(summary) => ResponseState::Ready {
                    summary,
                    zip: Arc::new(bytes),
                },
                Err(e) => ResponseState::Failed(e),
            },
            Ok((status, _)) => ResponseState::Failed(ResponseFileError::Refused { status }),
            Err(why) => ResponseState::Failed(ResponseFileError::NotFetched(why)),
        }
    })
}

/// Saves the response file of the upload named `file_name`, as fetched.
pub fn save_response_zip(zip: &[u8], file_name: &str) {
    save(zip, &response_file_name(file_name), "application/zip");
}

/// Saves the rows to fix and send again of the upload named `file_name`.
pub fn save_resubmit_csv(summary: &ResponseSummary, file_name: &str) {
    let csv = summary.resubmit_csv();
    save(csv.as_bytes(), &resubmit_file_name(file_name), "text/csv");
}

fn save(bytes: &[u8], name: &str, mime: &str) {
    if let Err(detail) = download::save_bytes(bytes, name, mime) {
        browser::warn(&page::download_failed(name, &detail.to_string()));
    }
}

impl Jobs {
    /// Fetches the response file through the proxy and reads it.
    pub fn open_response(&self, id: &JobId) {
        let Some(output_url) = self.journal.with_value(|j| {
            j.get(id)
                .and_then(|job| job.progress.as_ref()?.output_url.clone())
        }) else {
            return;
        };
        let set = move |this: &Jobs, id: &JobId, state: ResponseState| {
            this.responses.try_update(|r| {
                r.insert(id.clone(), state);
            });
        };
        let fetching = match fetch_response(&self.zuora, &output_url) {
            Ok(fetching) => fetching,
            Err(failed) => return set(self, id, failed),
        };
        set(self, id, ResponseState::Loading);
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let state = fetching.await;
            set(&this, &id, state);
        });
    }

    pub fn close_response(&self, id: &JobId) {
        self.responses.update(|r| {
            r.remove(id);
        });
    }

    pub(super) fn download(&self, bytes: &[u8], name: &str, mime: &str) {
        save(bytes, name, mime);
    }
}
