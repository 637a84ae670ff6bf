//! A finished job's response file, fetched through the proxy and read in the browser,
//! and the downloads made from it and from the list.

use super::{Jobs, ResponseState};
use crate::platform::{browser, download};
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::wording::page;
use mass_updater_domain::{
    response_file_name, resubmit_file_name, JobId, ResponseFileError, ResponseSummary,
};
use std::sync::Arc;

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
        let fetching = match self.zuora.response_file(&output_url) {
            Ok(fetching) => fetching,
            Err(e) => {
                return set(
                    self,
                    id,
                    ResponseState::Failed(ResponseFileError::BadAddress(e)),
                )
            }
        };
        set(self, id, ResponseState::Loading);
        let this = *self;
        let id = id.clone();
        spawn_local(async move {
            let fetched = fetching.await;
            let state = match fetched {
                Ok((200, bytes)) => match ResponseSummary::from_zip(&bytes) {
                    Ok(summary) => ResponseState::Ready {
                        summary,
                        zip: Arc::new(bytes),
                    },
                    Err(e) => ResponseState::Failed(e),
                },
                Ok((status, _)) => ResponseState::Failed(ResponseFileError::Refused { status }),
                Err(why) => ResponseState::Failed(ResponseFileError::NotFetched(why)),
            };
            set(&this, &id, state);
        });
    }

    pub fn close_response(&self, id: &JobId) {
        self.responses.update(|r| {
            r.remove(id);
        });
    }

    fn job_name(&self, id: &JobId) -> Option<String> {
        self.journal
            .with_value(|j| j.get(id).map(|job| job.file_name.clone()))
    }

    pub fn download_response_zip(&self, id: &JobId) {
        let zip = self.responses.with_untracked(|r| match r.get(id) {
            Some(ResponseState::Ready { zip, .. }) => Some(zip.clone()),
            _ => None,
        });
        if let (Some(zip), Some(name)) = (zip, self.job_name(id)) {
            self.download(&zip, &response_file_name(&name), "application/zip");
        }
    }

    pub fn download_resubmit_csv(&self, id: &JobId) {
        let csv = self.responses.with_untracked(|r| match r.get(id) {
            Some(ResponseState::Ready { summary, .. }) => Some(summary.resubmit_csv()),
            _ => None,
        });
        if let (Some(csv), Some(name)) = (csv, self.job_name(id)) {
            self.download(csv.as_bytes(), &resubmit_file_name(&name), "text/csv");
        }
    }

    pub(super) fn download(&self, bytes: &[u8], name: &str, mime: &str) {
        if let Err(detail) = download::save_bytes(bytes, name, mime) {
            browser::warn(&page::download_failed(name, &detail.to_string()));
        }
    }
}
