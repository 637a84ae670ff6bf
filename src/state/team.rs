//! Team mode: where a gateway serves `/api/me`, who is signed in, and the team history
//! view of everyone's mass actions (paged, filtered, asked again while one runs), with
//! their response files. Where no gateway answers, the user stays unknown and nothing
//! of this is shown. The rules (reading the answers, the query, merging pages) are the
//! domain's `team` module; this store performs the requests and holds what the view
//! shows.

use super::jobs::{fetch_response, ResponseState};
use super::Announcer;
use crate::config::Config;
use crate::platform::browser;
use crate::platform::gateway::Gateway;
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

#[derive(Clone, Copy)]
pub struct Team {
    config: StoredValue<Config>,
    gateway: Gateway,
    /// Fetches response files, as the job list does.
    zuora: Zuora,
    /// Who the gateway says is signed in; `None` without a gateway.
    user: RwSignal<Option<String>>,
    /// Whether the team view is the one shown.
    open: RwSignal<bool>,
    /// `None` until the first page for the current filter has come.
    history: RwSignal<Option<TeamHistory>>,
    filter: RwSignal<HistoryFilter>,
    loading: RwSignal<bool>,
    /// Why the last page asked for did not come, until one does.
    problem: RwSignal<Option<TeamReplyError>>,
    /// Response files as far as they have been read, by Idempotency-Key.
    responses: RwSignal<HashMap<String, ResponseState>>,
    /// Counts the lists asked for: the answer to an older one (a filter changed since)
    /// is dropped.
    asked: StoredValue<u64>,
    announcer: Announcer,
}

impl Team {
    /// Asks the gateway who is signed in; team mode starts only if it names someone.
    pub fn new(config: StoredValue<Config>, announcer: Announcer) -> Team {
        let zuora = Zuora::new(config);
        let team = Team {
            config,
            gateway: Gateway::new(zuora),
            zuora,
            user: RwSignal::new(None),
            open: RwSignal::new(false),
            history: RwSignal::new(None),
            filter: RwSignal::new(HistoryFilter::default()),
            loading: RwSignal::new(false),
            problem: RwSignal::new(None),
            responses: RwSignal::new(HashMap::new()),
            asked: StoredValue::new(0),
            announcer,
        };
        spawn_local(async move {
            // Any failure here only means there is no gateway: nothing is said.
            let Ok(reply) = team.gateway.me().await else {
                return;
            };
            if let Ok(user) = read_me(reply.status, &reply.body) {
                if team.user.try_set(Some(user)).is_none() {
                    team.keep_fresh();
                }
            }
        });
        team
    }

    /// False once the app instance has been unmounted: the loops check it after each
    /// wait and end.
    fn alive(&self) -> bool {
        self.config.try_with_value(|_| ()).is_some()
    }

    /// Asks again every [`REFRESH_MS`] while the team view is shown, the page visible
    /// and a mass action it shows still running.
    fn keep_fresh(self) {
        spawn_local(async move {
            loop {
                browser::sleep(REFRESH_MS).await;
                if !self.alive() {
                    break;
                }
                let running = self
                    .history
                    .with_untracked(|h| h.as_ref().is_some_and(TeamHistory::has_unended));
                let due = running
                    && self.open.get_untracked()
                    && !self.loading.get_untracked()
                    && !browser::page_hidden();
                if due {
                    self.refresh().await;
                }
            }
        });
    }

    /// `limit` mass actions for the current filter, older than `before`.
    async fn fetch(&self, limit: u32, before: Option<&str>) -> Result<HistoryPage, TeamReplyError> {
        let query = self.filter.with_untracked(|f| f.query(limit, before));
        let reply = self
            .gateway
            .history(&query)
            .await
            .map_err(TeamReplyError::NoAnswer)?;
        read_history(reply.status, &reply.body)
    }

    /// Starts asking for a list; gives its number, which [`Team::current`] checks.
    fn start_asking(&self) -> u64 {
        self.asked.update_value(|n| *n += 1);
        self.loading.set(true);
        self.asked.get_value()
    }

    /// Whether `asked` is still the latest list asked for (and the app still mounted).
    fn current(&self, asked: u64) -> bool {
        self.asked.try_get_value() == Some(asked)
    }

    /// The first page for the current filter, announced when it comes.
    fn reload(&self) {
        let asked = self.start_asking();
        let this = *self;
        spawn_local(async move {
            let fetched = this.fetch(HISTORY_PAGE, None).await;
            if !this.current(asked) {
                return;
            }
            this.loading.set(false);
            match fetched {
                Ok(page) => {
                    let history = TeamHistory::first(page);
                    this.announcer
                        .say(team_showing(history.jobs().len(), history.next().is_some()));
                    this.history.set(Some(history));
                    this.problem.set(None);
                }
                Err(why) => this.problem.set(Some(why)),
            }
        });
    }

    /// The shown mass actions asked for again, quietly; a failure leaves them as they
    /// were until the next time.
    async fn refresh(&self) {
        if !self.alive() {
            return;
        }
        let limit = self
            .history
            .with_untracked(|h| h.as_ref().map(TeamHistory::refresh_limit));
        let Some(limit) = limit else {
            return self.reload();
        };
        let asked = self.start_asking();
        let fetched = self.fetch(limit, None).await;
        if !self.current(asked) {
            return;
        }
        self.loading.set(false);
        if let Ok(page) = fetched {
            self.history.update(|h| {
                if let Some(h) = h {
                    h.refreshed(page);
                }
            });
        }
    }
}

/// What the user does in the team view.
impl Team {
    /// Shows the team view (asking for its list again) or this browser's.
    pub fn show(&self, team: bool) {
        self.open.set(team);
        if team {
            let this = *self;
            spawn_local(async move { this.refresh().await });
        }
    }

    /// Shows the mass actions `filter` lets through, from the newest.
    pub fn set_filter(&self, filter: HistoryFilter) {
        if self.filter.with_untracked(|f| *f == filter) {
            return;
        }
        self.filter.set(filter);
        self.reload();
    }

    /// Adds the next older page.
    pub fn show_more(&self) {
        let Some(cursor) = self
            .history
            .with_untracked(|h| h.as_ref().and_then(|h| h.next().map(str::to_owned)))
        else {
            return;
        };
        let asked = self.start_asking();
        let this = *self;
        spawn_local(async move {
            let fetched = this.fetch(HISTORY_PAGE, Some(&cursor)).await;
            if !this.current(asked) {
                return;
            }
            this.loading.set(false);
            match fetched {
                Ok(page) => this.history.update(|h| {
                    if let Some(h) = h {
                        h.more(page);
                        this.announcer
                            .say(team_showing(h.jobs().len(), h.next().is_some()));
                    }
                }),
                Err(why) => this.problem.set(Some(why)),
            }
        });
    }

    /// Fetches the response file of the mass action sent under `key`, and reads it.
    pub fn open_response(&self, key: &str) {
        let url = self.history.with_untracked(|h| {
            h.as_ref()
                .and_then(|h| h.job(key)?.response_file().map(str::to_owned))
        });
        let Some(url) = url else {
            return;
        };
        let set = move |this: &Team, key: &str, state: ResponseState| {
            this.responses.try_update(|r| {
                r.insert(key.to_owned(), state);
            });
        };
        match fetch_response(&self.zuora, &url) {
            Err(failed) => set(self, key, failed),
            Ok(fetching) => {
                set(self, key, ResponseState::Loading);
                let (this, key) = (*self, key.to_owned());
                spawn_local(async move { set(&this, &key, fetching.await) });
            }
        }
    }

    pub fn close_response(&self, key: &str) {
        self.responses.update(|r| {
            r.remove(key);
        });
    }
}

/// What the team view shows, read through the store (tracked).
impl Team {
    /// Who is signed in; `None` where no gateway names anyone (no team mode).
    pub fn user(&self) -> Option<String> {
        self.user.get()
    }

    pub fn is_open(&self) -> bool {
        self.open.get()
    }

    pub fn filter(&self) -> HistoryFilter {
        self.filter.get()
    }

    /// The Idempotency-Keys of the mass actions shown, newest first; `None` before
    /// the first page has come.
    pub fn keys(&self) -> Option<Vec<String>> {
        self.history.with(|h| {
            h.as_ref()
                .map(|h| h.jobs().iter().map(|j| j.idempotency_key.clone()).collect())
        })
    }

    /// The mass action sent under `key`, as last heard.
    pub fn job(&self, key: &str) -> Option<TeamJob> {
        self.history
            .with(|h| h.as_ref().and_then(|h| h.job(key).cloned()))
    }

    pub fn has_more(&self) -> bool {
        self.history
            .with(|h| h.as_ref().is_some_and(|h| h.next().is_some()))
    }

    pub fn loading(&self) -> bool {
        self.loading.get()
    }

    pub fn problem(&self) -> Option<TeamReplyError> {
        self.problem.get()
    }

    pub fn response(&self, key: &str) -> Option<ResponseState> {
        self.responses.with(|r| r.get(key).cloned())
    }

    pub fn response_open(&self, key: &str) -> bool {
        self.responses.with(|r| r.contains_key(key))
    }
}
