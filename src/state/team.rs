//! Team mode: where a gateway serves `/api/me`, who is signed in, and the team history
//! view of everyone's mass actions (paged, filtered, asked again while one runs), with
//! their response files. Where no gateway answers, the user stays unknown and nothing
//! of this is shown. The rules (reading the answers, the query, merging pages) are the
//! domain's `team` module; this store performs the requests and holds what the view
//! shows.
//!
//! What the view shows is one signal of one plain struct, read through the methods
//! below: each signal type costs its own generic code in the wasm, and the view is small
//! enough that one notification for any change costs nothing to notice.

use super::jobs::{fetch_response, ResponseState};
use super::Announcer;
use crate::config::Config;
use crate::platform::browser;
use crate::platform::gateway;
use crate::platform::zuora::Zuora;
use leptos::prelude::*;
use leptos::task::spawn_local;
use mass_updater_domain::team::{
    read_history, read_me, HistoryFilter, HistoryPage, TeamHistory, TeamJob, HISTORY_PAGE,
};
use mass_updater_domain::wording::team::team_showing;
use mass_updater_domain::TeamReplyError;
use std::collections::HashMap;

/// How often the open team view asks again while a mass action it shows runs.
pub const REFRESH_MS: u64 = 5_000;

#[derive(Default)]
struct TeamView {
    /// Who the gateway says is signed in; `None` without a gateway.
    user: Option<String>,
    /// Whether the team view is the one shown.
    open: bool,
    /// `None` until the first page for the current filter has come.
    history: Option<TeamHistory>,
    filter: HistoryFilter,
    loading: bool,
    /// Why the last page asked for did not come, until one does.
    problem: Option<TeamReplyError>,
    /// Response files as far as they have been read, by Idempotency-Key.
    responses: HashMap<String, ResponseState>,
}

/// What a request for the list asks for.
enum Load {
    /// The first page for the current filter (announced).
    First,
    /// The page older than this cursor (announced).
    More(String),
    /// The newest this many again, quietly.
    Refresh(u32),
}

#[derive(Clone, Copy)]
pub struct Team {
    config: StoredValue<Config>,
    /// The instance's one client: the gateway's API and response files.
    zuora: Zuora,
    view: RwSignal<TeamView>,
    /// Counts the lists asked for: the answer to an older one (a filter changed since)
    /// is dropped.
    asked: StoredValue<u64>,
    announcer: Announcer,
}

impl Team {
    /// Asks the gateway who is signed in; team mode starts only if it names someone.
    pub fn new(config: StoredValue<Config>, zuora: Zuora, announcer: Announcer) -> Team {
        let team = Team {
            config,
            zuora,
            view: RwSignal::new(TeamView::default()),
            asked: StoredValue::new(0),
            announcer,
        };
        spawn_local(async move {
            // Any failure here only means there is no gateway: nothing is said.
            let Ok(reply) = gateway::me(&team.zuora).await else {
                return;
            };
            let Ok(user) = read_me(reply.status, &reply.body) else {
                return;
            };
            if team.view.try_update(|v| v.user = Some(user)).is_some() {
                team.keep_fresh().await;
            }
        });
        team
    }

    /// False once the app instance has been unmounted: the loop checks it after each
    /// wait and ends.
    fn alive(&self) -> bool {
        self.config.try_with_value(|_| ()).is_some()
    }

    /// Asks again every [`REFRESH_MS`] while the team view is shown, the page visible
    /// and a mass action it shows still running.
    async fn keep_fresh(self) {
        loop {
            browser::sleep(REFRESH_MS).await;
            if !self.alive() {
                break;
            }
            let due = self.view.with_untracked(|v| {
                let running = v.history.as_ref().filter(|h| h.has_unended());
                running
                    .map(TeamHistory::refresh_limit)
                    .filter(|_| v.open && !v.loading)
            });
            if let Some(limit) = due.filter(|_| !browser::page_hidden()) {
                self.load(Load::Refresh(limit));
            }
        }
    }

    /// Asks for a list; an answer that comes after a newer request was made is dropped.
    fn load(&self, load: Load) {
        self.asked.update_value(|n| *n += 1);
        let asked = self.asked.get_value();
        self.view.update(|v| v.loading = true);
        let this = *self;
        spawn_local(async move {
            let (limit, before) = match &load {
                Load::First => (HISTORY_PAGE, None),
                Load::More(cursor) => (HISTORY_PAGE, Some(cursor.as_str())),
                Load::Refresh(limit) => (*limit, None),
            };
            let fetched = this.fetch(limit, before).await;
            if this.asked.try_get_value() == Some(asked) {
                this.view.update(|v| this.take(v, load, fetched));
            }
        });
    }

    /// `limit` mass actions for the current filter, older than `before`.
    async fn fetch(&self, limit: u32, before: Option<&str>) -> Result<HistoryPage, TeamReplyError> {
        let query = self.view.with_untracked(|v| v.filter.query(limit, before));
        let reply = gateway::history(&self.zuora, &query)
            .await
            .map_err(TeamReplyError::NoAnswer)?;
        read_history(reply.status, &reply.body)
    }

    /// The answer to `load`. A failed refresh leaves the list as it was until the next.
    fn take(&self, v: &mut TeamView, load: Load, fetched: Result<HistoryPage, TeamReplyError>) {
        v.loading = false;
        let page = match (fetched, &load) {
            (Ok(page), _) => page,
            (Err(_), Load::Refresh(_)) => return,
            (Err(why), _) => {
                v.problem = Some(why);
                return;
            }
        };
        v.problem = None;
        match (&mut v.history, load) {
            (Some(history), Load::More(_)) => history.more(page),
            (Some(history), Load::Refresh(_)) => return history.refreshed(page),
            (history, _) => *history = Some(TeamHistory::first(page)),
        }
        if let Some(h) = &v.history {
            self.announcer
                .say(team_showing(h.jobs().len(), h.next().is_some()));
        }
    }
}

/// What the user does in the team view.
impl Team {
    /// Shows the team view (asking for its list again) or this browser's.
    pub fn show(&self, team: bool) {
        let history = self.view.try_update(|v| {
            v.open = team;
            v.history.as_ref().map(TeamHistory::refresh_limit)
        });
        match history {
            Some(None) if team => self.load(Load::First),
            Some(Some(limit)) if team => self.load(Load::Refresh(limit)),
            _ => {}
        }
    }

    /// Shows the mass actions `filter` lets through, from the newest.
    pub fn set_filter(&self, filter: HistoryFilter) {
        if self.view.with_untracked(|v| v.filter == filter) {
            return;
        }
        self.view.update(|v| v.filter = filter);
        self.load(Load::First);
    }

    /// Adds the next older page.
    pub fn show_more(&self) {
        let cursor = self
            .view
            .with_untracked(|v| v.history.as_ref().and_then(|h| h.next().map(str::to_owned)));
        if let Some(cursor) = cursor {
            self.load(Load::More(cursor));
        }
    }

    /// Opens the response file of the mass action sent under `key` (fetching it and
    /// reading it), or closes it.
    pub fn toggle_response(&self, key: &str) {
        let url = self.view.try_update(|v| {
            if v.responses.remove(key).is_some() {
                return None;
            }
            let url = v.history.as_ref()?.job(key)?.response_file()?.to_owned();
            v.responses.insert(key.to_owned(), ResponseState::Loading);
            Some(url)
        });
        let Some(Some(url)) = url else {
            return;
        };
        let set = move |this: &Team, key: &str, state: ResponseState| {
            this.view.try_update(|v| {
                v.responses.insert(key.to_owned(), state);
            });
        };
        match fetch_response(&self.zuora, &url) {
            Err(failed) => set(self, key, failed),
            Ok(fetching) => {
                let (this, key) = (*self, key.to_owned());
                spawn_local(async move { set(&this, &key, fetching.await) });
            }
        }
    }
}

/// What the team view shows, read through the store (tracked).
impl Team {
    /// Who is signed in; `None` where no gateway names anyone (no team mode).
    pub fn user(&self) -> Option<String> {
        self.view.with(|v| v.user.clone())
    }

    pub fn is_open(&self) -> bool {
        self.view.with(|v| v.open)
    }

    pub fn filter(&self) -> HistoryFilter {
        self.view.with(|v| v.filter.clone())
    }

    /// The mass actions shown, newest first, as last heard.
    pub fn jobs(&self) -> Vec<TeamJob> {
        self.view
            .with(|v| v.history.as_ref().map(|h| h.jobs().to_vec()))
            .unwrap_or_default()
    }

    /// How many mass actions are shown; `None` before the first page has come.
    pub fn count(&self) -> Option<usize> {
        self.view
            .with(|v| v.history.as_ref().map(|h| h.jobs().len()))
    }

    pub fn has_more(&self) -> bool {
        self.view
            .with(|v| v.history.as_ref().is_some_and(|h| h.next().is_some()))
    }

    pub fn loading(&self) -> bool {
        self.view.with(|v| v.loading)
    }

    pub fn problem(&self) -> Option<TeamReplyError> {
        self.view.with(|v| v.problem.clone())
    }

    pub fn response(&self, key: &str) -> Option<ResponseState> {
        self.view.with(|v| v.responses.get(key).cloned())
    }

    pub fn response_open(&self, key: &str) -> bool {
        self.view.with(|v| v.responses.contains_key(key))
    }
}
