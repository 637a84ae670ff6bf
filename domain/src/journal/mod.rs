//! The list of jobs as it is kept in `localStorage` (under [`JOURNAL_STORAGE_KEY`]), so a
//! reload or crash never loses track of a submission: reading it back whatever state the
//! stored text is in, writing it within a size bound, recovering jobs that a reload
//! interrupted, the sending queue, and exporting the list as CSV or JSON.
//!
//! File bytes are never stored: only what identifies the file (name, size, MD5).
//!
//! Several tabs of the app (or instances of it on one page) share the stored list: each
//! saves over what the others stored ([`Journal::save_over`]), so that none drops a job
//! that another sent.
//!
//! Size bound: at most [`MAX_JOBS`] jobs and about [`MAX_JOURNAL_CHARS`] characters.
//! When over, the *finished* jobs are dropped oldest first (by creation time); an
//! unfinished job is never dropped, even if that leaves the journal over the bound,
//! because losing it could mean sending a file twice or losing a running mass action.

mod export;
mod merge;

pub use export::EXPORT_COLUMNS;

use crate::error::JournalProblem;
use crate::job::{Job, JobId, JobState, Recovery};
use crate::wording;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

pub const JOURNAL_STORAGE_KEY: &str = "mass-updater:journal:v1";
/// A random value each save writes next to the journal. A tab that finds its own there
/// knows that no other tab (or instance on the page) has saved since, and need not read
/// the journal back before saving (see [`Journal::save_over`]).
pub const JOURNAL_STAMP_KEY: &str = "mass-updater:journal:v1:stamp";
pub const JOURNAL_VERSION: u64 = 1;
pub const MAX_JOBS: usize = 500;
/// Characters of JSON (localStorage quotas count UTF-16 units; 1 M stays far below
/// the usual 5 M per origin, leaving room for the host page).
pub const MAX_JOURNAL_CHARS: usize = 1_000_000;
/// How many jobs may be sending at once, unless configured otherwise.
pub const DEFAULT_CONCURRENCY: usize = 2;

/// What [`Journal::save_over`] writes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merged {
    /// The JSON to store.
    pub text: String,
    /// Whether it holds jobs, or versions of jobs, that came from the stored text and
    /// not from this journal. While it does, the next save must merge again: a plain
    /// [`Journal::save`] would drop them.
    pub kept_theirs: bool,
}

/// The saved job list, oldest job first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Journal {
    pub version: u64,
    pub jobs: Vec<Job>,
    #[serde(skip)]
    written: JsonCache,
}

/// Each job's JSON as last written, with the job it was written from, so that a save
/// serialises again only the jobs that changed (a new count in one of 200 jobs costs
/// one job's JSON, not 200). Not part of the journal's value: journals with the same
/// jobs are equal whatever their caches hold, and a clone starts empty.
#[derive(Default)]
struct JsonCache(std::sync::Mutex<HashMap<JobId, (Job, String)>>);

impl JsonCache {
    /// The JSON of each job, in order, from the cache where the job is unchanged.
    fn json_of<'a>(&self, jobs: impl ExactSizeIterator<Item = &'a Job>) -> Vec<String> {
        let write = |job: &Job| serde_json::to_string(job).unwrap_or_else(|_| "null".into());
        // A poisoned lock (a panic mid-save, which panic=abort rules out) only costs
        // the cache.
        let Ok(mut cache) = self.0.lock() else {
            return jobs.map(write).collect();
        };
        if cache.len() > jobs.len() * 2 {
            cache.clear();
        }
        jobs.map(|job| match cache.get(&job.id) {
            Some((was, json)) if was == job => json.clone(),
            _ => {
                let json = write(job);
                cache.insert(job.id.clone(), (job.clone(), json.clone()));
                json
            }
        })
        .collect()
    }
}

impl Clone for JsonCache {
    fn clone(&self) -> JsonCache {
        JsonCache::default()
    }
}

impl std::fmt::Debug for JsonCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JsonCache")
    }
}

impl PartialEq for JsonCache {
    fn eq(&self, _: &JsonCache) -> bool {
        true
    }
}

impl Eq for JsonCache {}

impl Journal {
    pub fn new() -> Journal {
        Journal {
            version: JOURNAL_VERSION,
            jobs: Vec::new(),
            written: JsonCache::default(),
        }
    }

    /// Reads what `localStorage` held (`None` when nothing). Never fails: unreadable text
    /// or another version gives an empty journal and the problem to explain; single
    /// unreadable jobs are left out and counted.
    pub fn load(text: Option<&str>) -> (Journal, Option<JournalProblem>) {
        let Some(text) = text.filter(|t| !t.trim().is_empty()) else {
            return (Journal::new(), None);
        };
        // The envelope first, each job's text left unparsed: one damaged job must not
        // take the others with it, and no generic JSON tree is built on the way.
        #[derive(serde::Deserialize)]
        struct Stored<'a> {
            version: Option<u64>,
            #[serde(borrow)]
            jobs: Option<Vec<&'a serde_json::value::RawValue>>,
        }
        let stored: Stored = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => {
                return (
                    Journal::new(),
                    Some(JournalProblem::Corrupt {
                        detail: wording::errors::journal_not_json(&e),
                    }),
                )
            }
        };
        match stored.version {
            Some(JOURNAL_VERSION) => {}
            Some(found) if found > JOURNAL_VERSION => {
                return (Journal::new(), Some(JournalProblem::NewerVersion { found }))
            }
            Some(found) => return (Journal::new(), Some(JournalProblem::OlderVersion { found })),
            None => {
                return (
                    Journal::new(),
                    Some(JournalProblem::Corrupt {
                        detail: wording::errors::journal_without_version(),
                    }),
                )
            }
        }
        let Some(items) = stored.jobs else {
            return (
                Journal::new(),
                Some(JournalProblem::Corrupt {
                    detail: wording::errors::journal_without_jobs(),
                }),
            );
        };
        let mut journal = Journal::new();
        let mut ids = std::collections::HashSet::new();
        let mut unreadable = 0u64;
        for item in items {
            match serde_json::from_str::<Job>(item.get()) {
                Ok(job) if ids.insert(job.id.clone()) => journal.jobs.push(job),
                _ => unreadable += 1,
            }
        }
        let problem =
            (unreadable > 0).then_some(JournalProblem::SomeJobsUnreadable { count: unreadable });
        (journal, problem)
    }

    /// The JSON to store, within the size bound (see the module documentation). Call
    /// [`Journal::enforce_bounds`] first so the list on screen matches what is stored.
    pub fn save(&self) -> String {
        self.save_list(self.jobs.iter().collect())
    }

    /// The JSON of `jobs` (oldest first), less the finished jobs the size bound leaves
    /// out.
    fn save_list(&self, jobs: Vec<&Job>) -> String {
        // Within both bounds (the usual case) the whole list is written, serialised
        // once. `kept` estimates 18 characters more than the text has, and bytes ≥
        // characters: with this margin it would have kept every job too.
        if jobs.len() <= MAX_JOBS {
            let all = self.save_jobs(jobs.clone());
            if all.len() + 40 <= MAX_JOURNAL_CHARS {
                return all;
            }
        }
        let keep = self.kept(&jobs);
        let jobs: Vec<&Job> = jobs
            .into_iter()
            .zip(keep)
            .filter_map(|(job, k)| k.then_some(job))
            .collect();
        self.save_jobs(jobs)
    }

    /// `{"version":1,"jobs":[…]}`, as serde_json writes it, from each job's JSON.
    fn save_jobs(&self, jobs: Vec<&Job>) -> String {
        // Plain data with string keys: serialising a job cannot fail, and if it did it
        // would be written as null (read back as one unreadable job) rather than panic.
        let parts = self.written.json_of(jobs.into_iter());
        let mut out = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum::<usize>() + 32);
        out.push_str(&format!(r#"{{"version":{JOURNAL_VERSION},"jobs":["#));
        out.push_str(&parts.join(","));
        out.push_str("]}");
        out
    }

    /// Drops the jobs that [`Journal::save`] would leave out, and says which.
    pub fn enforce_bounds(&mut self) -> Vec<JobId> {
        let keep = self.kept(&self.jobs.iter().collect::<Vec<_>>());
        let mut dropped = Vec::new();
        let mut flags = keep.into_iter();
        self.jobs.retain(|job| {
            let k = flags.next().unwrap_or(true);
            if !k {
                dropped.push(job.id.clone());
            }
            k
        });
        dropped
    }

    /// Which of `jobs` stay, by index: finished jobs go oldest first until both bounds
    /// hold.
    fn kept(&self, jobs: &[&Job]) -> Vec<bool> {
        let sizes: Vec<usize> = self
            .written
            .json_of(jobs.iter().copied())
            .iter()
            .map(|s| s.chars().count() + 1)
            .collect();
        let mut keep = vec![true; jobs.len()];
        let mut count = jobs.len();
        let mut chars: usize = 40 + sizes.iter().sum::<usize>();
        let mut finished: Vec<usize> = (0..jobs.len())
            .filter(|&i| jobs[i].state.is_finished())
            .collect();
        crate::order::sort_by_number(&mut finished, |&i| jobs[i].created_ms);
        for i in finished {
            if count <= MAX_JOBS && chars <= MAX_JOURNAL_CHARS {
                break;
            }
            keep[i] = false;
            count -= 1;
            chars -= sizes[i];
        }
        keep
    }

    pub fn get(&self, id: &JobId) -> Option<&Job> {
        self.jobs.iter().find(|j| &j.id == id)
    }

    pub fn get_mut(&mut self, id: &JobId) -> Option<&mut Job> {
        self.jobs.iter_mut().find(|j| &j.id == id)
    }

    /// Adds a job (or replaces the one with the same id).
    pub fn upsert(&mut self, job: Job) {
        match self.get_mut(&job.id) {
            Some(existing) => *existing = job,
            None => self.jobs.push(job),
        }
    }

    /// Removes one job from the list, whatever its state (the UI asks before removing
    /// an unfinished one, and aborts its request or stops following it).
    pub fn remove(&mut self, id: &JobId) -> Option<Job> {
        let at = self.jobs.iter().position(|j| &j.id == id)?;
        Some(self.jobs.remove(at))
    }

    /// Removes every finished job; unfinished ones stay.
    pub fn clear_finished(&mut self) -> usize {
        let before = self.jobs.len();
        self.jobs.retain(|j| !j.state.is_finished());
        before - self.jobs.len()
    }

    /// Removes every job.
    pub fn clear_all(&mut self) {
        self.jobs.clear();
    }

    /// After a reload: see [`Job::recover_after_reload`]. Returns what happened to each
    /// job that changed.
    pub fn recover_after_reload(
        &mut self,
        now_ms: u64,
        file_at_hand: impl Fn(&JobId) -> bool,
    ) -> Vec<(JobId, Recovery)> {
        let mut changed = Vec::new();
        for job in &mut self.jobs {
            let at_hand = file_at_hand(&job.id);
            match job.recover_after_reload(now_ms, at_hand) {
                Recovery::Unchanged => {}
                r => changed.push((job.id.clone(), r)),
            }
        }
        changed
    }

    /// Jobs the UI should poll (accepted, not yet finished).
    pub fn to_follow(&self) -> impl Iterator<Item = &Job> {
        self.jobs
            .iter()
            .filter(|j| matches!(j.state, JobState::Following { .. }))
    }

    /// Jobs to start now, oldest first, keeping at most `concurrency` jobs sending. A job
    /// waiting to retry keeps its slot (so a struggling server is not handed more work)
    /// and is started as soon as its time comes. Only jobs whose file this tab holds
    /// (`held_here`) are started or counted: the others are another tab's to send.
    pub fn to_start(
        &self,
        now_ms: u64,
        concurrency: usize,
        held_here: impl Fn(&JobId) -> bool,
    ) -> Vec<JobId> {
        let ours: Vec<&Job> = self.jobs.iter().filter(|j| held_here(&j.id)).collect();
        let busy = ours
            .iter()
            .filter(|j| {
                matches!(
                    j.state,
                    JobState::Sending { .. } | JobState::WaitingToRetry { .. }
                )
            })
            .count();
        let due = ours.iter().filter(
            |j| matches!(j.state, JobState::WaitingToRetry { at_ms, .. } if at_ms <= now_ms),
        );
        let mut queued: Vec<&Job> = ours
            .iter()
            .copied()
            .filter(|j| j.state == JobState::Queued)
            .collect();
        crate::order::sort_by_number(&mut queued, |j| j.created_ms);
        due.map(|j| j.id.clone())
            .chain(
                queued
                    .into_iter()
                    .take(concurrency.max(1).saturating_sub(busy))
                    .map(|j| j.id.clone()),
            )
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::tests::{following, job};
    use crate::job::Batch;
    use crate::retry::RetryPolicy;
    use crate::wire::{HttpReply, MassActionResult};
    use std::collections::HashSet;

    fn completed(seed: u8, created_ms: u64) -> Job {
        let mut j = following(seed);
        j.created_ms = created_ms;
        j.record_progress(
            &MassActionResult::parse(r#"{"status":"Completed","totalCount":3,"processedCount":3,"successCount":2,"errorCount":1}"#)
                .unwrap(),
            created_ms + 5,
        )
        .unwrap();
        j
    }

    fn sample() -> Journal {
        let mut j = Journal::new();
        j.upsert(completed(1, 100));
        j.upsert(job(2, 200).in_batch(Batch {
            id: "b1".into(),
            label: "Part 1 of 2, “fx”, rows 1–500".into(),
        }));
        j.upsert(following(3));
        let mut refused = job(4, 300);
        refused.start_attempt(301).unwrap();
        refused
            .record_answer(
                Ok(&HttpReply {
                    status: 400,
                    body: r#"{"success":false,"reasons":[{"code":53100320,"message":"bad, \"quoted\"\nline"}]}"#.into(),
                    request_id: None,
                    retry_after: None,
                }),
                &RetryPolicy::default(),
                302,
                0,
            )
            .unwrap();
        j.upsert(refused);
        j
    }

    #[test]
    fn a_save_from_cached_json_is_what_serde_writes_and_follows_every_change() {
        #[derive(Serialize)]
        struct Stored<'a> {
            version: u64,
            jobs: &'a [Job],
        }
        let plain = |j: &Journal| {
            serde_json::to_string(&Stored {
                version: JOURNAL_VERSION,
                jobs: &j.jobs,
            })
            .unwrap()
        };
        let mut j = sample();
        assert_eq!(j.save(), plain(&j));
        // Saved again after one job changed: that job's new JSON, the others as before.
        let id = j.jobs[2].id.clone();
        let job = j.get_mut(&id).unwrap();
        job.record_progress(
            &MassActionResult::parse(
                r#"{"status":"Processing","totalCount":9,"processedCount":4}"#,
            )
            .unwrap(),
            900,
        )
        .unwrap();
        let saved = j.save();
        assert_eq!(saved, plain(&j));
        assert!(saved.contains(r#""processedCount":4"#));
        let (back, problem) = Journal::load(Some(&saved));
        assert_eq!((back, problem), (j.clone(), None));
        // A removed job leaves the text too.
        j.remove(&id);
        assert_eq!(j.save(), plain(&j));
    }

    /// The ids in a saved text, in order.
    /// Job `id` of `journal` reported Completed at `now_ms`.
    fn complete(journal: &mut Journal, id: &JobId, now_ms: u64) {
        let done = MassActionResult::parse(
            r#"{"status":"Completed","totalCount":3,"processedCount":3,"successCount":3,"errorCount":0}"#,
        )
        .unwrap();
        journal
            .get_mut(id)
            .unwrap()
            .record_progress(&done, now_ms)
            .unwrap();
    }

    fn ids(text: &str) -> Vec<JobId> {
        let (journal, problem) = Journal::load(Some(text));
        assert_eq!(problem, None);
        journal.jobs.into_iter().map(|j| j.id).collect()
    }

    #[test]
    fn a_save_over_another_tabs_text_keeps_the_jobs_only_that_tab_holds() {
        // Both tabs opened on the same list; then each sent a file of its own.
        let mut a = sample();
        let mut b = Journal::load(Some(&a.save())).0;
        a.upsert(job(5, 400));
        let stored = a.save();
        b.upsert(job(6, 500));
        let none = HashSet::new();
        let merged = b.save_over(Some(&stored), &none);
        assert!(merged.kept_theirs, "tab A's job came from storage");
        let written = merged.text;
        let mut expected: Vec<JobId> = sample().jobs.into_iter().map(|j| j.id).collect();
        expected.extend([job(5, 400).id, job(6, 500).id]);
        assert_eq!(ids(&written), expected, "oldest first, nothing dropped");
        // And tab A, saving over that, keeps B's job in turn.
        a.upsert(following(7));
        let again = a.save_over(Some(&written), &none).text;
        assert!(ids(&again).contains(&job(6, 500).id));
        assert!(ids(&again).contains(&following(7).id));
    }

    #[test]
    fn of_a_job_both_tabs_hold_the_version_updated_last_is_written() {
        let mut a = sample();
        let b = Journal::load(Some(&a.save())).0;
        let id = following(3).id;
        complete(&mut a, &id, 9_000);
        let stored = a.save();
        // Tab B has not seen the end yet: its save keeps tab A's newer version…
        let merged = b.save_over(Some(&stored), &HashSet::new());
        assert!(merged.kept_theirs);
        let written = merged.text;
        let (back, _) = Journal::load(Some(&written));
        assert_eq!(back.get(&id), a.get(&id));
        // …and tab A, saving over B's older text, keeps its own.
        let older = b.save();
        let merged = a.save_over(Some(&older), &HashSet::new());
        assert!(!merged.kept_theirs, "nothing newer came from B");
        let (back, _) = Journal::load(Some(&merged.text));
        assert_eq!(back.get(&id), a.get(&id));
    }

    #[test]
    fn a_job_this_tab_removed_is_not_brought_back_from_storage() {
        let a = sample();
        let stored = a.save();
        let mut b = Journal::load(Some(&stored)).0;
        let gone = b.jobs[0].id.clone();
        b.remove(&gone);
        let written = b
            .save_over(Some(&stored), &HashSet::from([gone.clone()]))
            .text;
        assert!(!ids(&written).contains(&gone));
        assert_eq!(ids(&written).len(), a.jobs.len() - 1);
        // Cleared wholly: the jobs it held stay gone, one it never held stays.
        let mut c = Journal::load(Some(&stored)).0;
        let held: HashSet<JobId> = c.jobs.iter().map(|j| j.id.clone()).collect();
        c.clear_all();
        let mut other = a.clone();
        other.upsert(job(8, 800));
        let written = c.save_over(Some(&other.save()), &held).text;
        assert_eq!(ids(&written), vec![job(8, 800).id]);
        // That job is the one this tab takes in; the cleared ones stay gone.
        assert_eq!(c.absorb(Some(&other.save()), &held), vec![job(8, 800).id]);
        assert_eq!(ids(&c.save()), vec![job(8, 800).id]);
    }

    #[test]
    fn a_version_without_the_bulk_key_never_replaces_one_with_it() {
        let mut a = Journal::new();
        a.upsert(following(3));
        let id = following(3).id;
        // Another tab, which read the job while it was being sent, marked it interrupted
        // later on.
        let mut interrupted = job(3, 0);
        interrupted.id = id.clone();
        interrupted.start_attempt(10).unwrap();
        interrupted.recover_after_reload(99_999, false);
        assert!(interrupted.updated_ms > a.get(&id).unwrap().updated_ms);
        let mut b = Journal::new();
        b.upsert(interrupted);
        let stored = b.save();
        assert_eq!(
            a.absorb(Some(&stored), &HashSet::new()),
            Vec::<JobId>::new()
        );
        let merged = a.save_over(Some(&stored), &HashSet::new());
        assert!(!merged.kept_theirs);
        assert_eq!(Journal::load(Some(&merged.text)).0.get(&id), a.get(&id));
        // The other way round, the answer is taken in.
        assert_eq!(
            b.absorb(Some(&a.save()), &HashSet::new()),
            Vec::<JobId>::new(),
            "older"
        );
        let mut later = a.get(&id).unwrap().clone();
        later.updated_ms = 200_000;
        a.upsert(later);
        assert_eq!(b.absorb(Some(&a.save()), &HashSet::new()), vec![id]);
    }

    #[test]
    fn absorbing_another_tabs_list_adds_its_jobs_in_order_and_takes_newer_versions() {
        let mut a = sample();
        let mut b = Journal::load(Some(&a.save())).0;
        // Tab A sends a new file and sees a job end; tab B has an older job of its own.
        b.upsert(job(6, 150));
        let id = following(3).id;
        complete(&mut a, &id, 9_000);
        a.upsert(job(5, 400));
        let none = HashSet::new();
        let changed = b.absorb(Some(&a.save()), &none);
        assert_eq!(changed, vec![id.clone(), job(5, 400).id]);
        assert_eq!(b.get(&id), a.get(&id), "the newer version replaced B's");
        assert_eq!(
            b.jobs.last().map(|j| &j.id),
            Some(&job(5, 400).id),
            "the newest goes last"
        );
        let mut c = Journal::new();
        c.upsert(job(7, 100));
        c.upsert(job(8, 300));
        c.absorb(Some(&b.save()), &none);
        let created: Vec<u64> = c.jobs.iter().map(|j| j.created_ms).collect();
        let at = |ms: u64| c.jobs.iter().position(|j| j.created_ms == ms);
        assert!(
            at(150) > at(100) && at(150) < at(300),
            "by creation time: {created:?}"
        );
        assert!(b.get(&job(6, 150).id).is_some(), "B's own job stays");
        // Taking in the same text again changes nothing; an older version never wins.
        assert_eq!(b.absorb(Some(&a.save()), &none), Vec::<JobId>::new());
        assert_eq!(a.absorb(Some(&sample().save()), &none), Vec::<JobId>::new());
        assert_eq!(b.absorb(Some("{not json"), &none), Vec::<JobId>::new());
    }

    #[test]
    fn over_nothing_or_unreadable_text_a_save_over_is_a_plain_save() {
        let j = sample();
        let none = HashSet::new();
        for stored in [
            None,
            Some(""),
            Some("{not json"),
            Some(r#"{"version":2,"jobs":[]}"#),
        ] {
            assert_eq!(
                j.save_over(stored, &none),
                Merged {
                    text: j.save(),
                    kept_theirs: false
                },
                "{stored:?}"
            );
        }
        // Over its own save (one tab alone): the same text, and nothing kept from storage.
        assert_eq!(
            j.save_over(Some(&j.save()), &none),
            Merged {
                text: j.save(),
                kept_theirs: false
            }
        );
    }

    #[test]
    fn the_bound_applies_to_the_jobs_of_both_tabs_together() {
        let many = |from: u64| {
            let mut journal = Journal::new();
            for i in from..from + 300 {
                let mut j = completed(0, 1_000 + i);
                j.id = JobId::from_random_bytes((i as u128 + 1).to_le_bytes());
                journal.upsert(j);
            }
            journal
        };
        let (a, mut b) = (many(0), many(300));
        let unfinished = job(200, 0);
        b.upsert(unfinished.clone());
        let written = b.save_over(Some(&a.save()), &HashSet::new()).text;
        let (back, _) = Journal::load(Some(&written));
        assert_eq!(back.jobs.len(), MAX_JOBS);
        assert!(back.get(&unfinished.id).is_some());
        let oldest = back
            .jobs
            .iter()
            .map(|j| j.created_ms)
            .filter(|&c| c >= 1_000)
            .min();
        assert_eq!(
            oldest,
            Some(1_000 + 101),
            "the 101 oldest finished jobs went"
        );
    }

    #[test]
    fn a_saved_journal_loads_back_the_same() {
        let journal = sample();
        let (loaded, problem) = Journal::load(Some(&journal.save()));
        assert_eq!(problem, None);
        assert_eq!(loaded, journal);
        assert_eq!(Journal::load(None), (Journal::new(), None));
        assert_eq!(Journal::load(Some("  ")), (Journal::new(), None));
    }

    #[test]
    fn corrupt_or_foreign_text_gives_an_empty_journal_and_a_sentence() {
        type Expect = fn(&JournalProblem) -> bool;
        let cases: Vec<(&str, Expect)> = vec![
            ("{not json", |p| matches!(p, JournalProblem::Corrupt { .. })),
            ("[]", |p| matches!(p, JournalProblem::Corrupt { .. })),
            (r#"{"version":1}"#, |p| {
                matches!(p, JournalProblem::Corrupt { .. })
            }),
            (r#"{"version":0,"jobs":[]}"#, |p| {
                matches!(p, JournalProblem::OlderVersion { found: 0 })
            }),
            (r#"{"version":2,"jobs":[]}"#, |p| {
                matches!(p, JournalProblem::NewerVersion { found: 2 })
            }),
        ];
        for (text, expected) in cases {
            let (journal, problem) = Journal::load(Some(text));
            assert!(journal.jobs.is_empty(), "{text}");
            let problem = problem.unwrap();
            assert!(expected(&problem), "{text}: {problem:?}");
            assert!(problem.to_string().ends_with('.'));
        }
    }

    #[test]
    fn a_damaged_job_is_left_out_and_the_rest_kept() {
        let journal = sample();
        let mut value: serde_json::Value = serde_json::from_str(&journal.save()).unwrap();
        value["jobs"][1]["checksum"] = "not a checksum".into();
        value["jobs"][2]["state"] = serde_json::json!({"state": "teleported"});
        let (loaded, problem) = Journal::load(Some(&value.to_string()));
        assert_eq!(loaded.jobs.len(), 2);
        assert_eq!(
            problem,
            Some(JournalProblem::SomeJobsUnreadable { count: 2 })
        );
        assert_eq!(
            problem.unwrap().to_string(),
            "2 of the saved submissions could not be read and were left out."
        );
    }

    #[test]
    fn the_bound_drops_the_oldest_finished_jobs_and_never_an_unfinished_one() {
        let mut journal = Journal::new();
        let unfinished = job(200, 0);
        journal.upsert(unfinished.clone());
        for i in 0..(MAX_JOBS as u64 + 10) {
            let mut j = completed(0, 1_000 + i);
            j.id = JobId::from_random_bytes((i as u128 + 1).to_le_bytes());
            journal.upsert(j);
        }
        let text = journal.save();
        let (loaded, _) = Journal::load(Some(&text));
        assert_eq!(loaded.jobs.len(), MAX_JOBS);
        assert!(loaded.get(&unfinished.id).is_some());
        // The 11 oldest finished jobs went.
        assert_eq!(
            loaded
                .jobs
                .iter()
                .map(|j| j.created_ms)
                .filter(|&c| c >= 1_000)
                .min(),
            Some(1_011)
        );
        let dropped = journal.enforce_bounds();
        assert_eq!(dropped.len(), 11);
        assert_eq!(journal, loaded);

        // Over the character bound with only unfinished jobs: all kept.
        let mut busy = Journal::new();
        for i in 0..3u8 {
            let mut j = job(i, 0);
            j.file_name = "x".repeat(MAX_JOURNAL_CHARS / 2);
            busy.upsert(j);
        }
        assert!(busy.enforce_bounds().is_empty());
        assert_eq!(Journal::load(Some(&busy.save())).0.jobs.len(), 3);
    }

    #[test]
    fn the_character_bound_holds_when_finished_jobs_can_go() {
        let mut journal = Journal::new();
        for i in 0..40u8 {
            let mut j = completed(i, u64::from(i));
            j.file_name = "y".repeat(50_000);
            journal.upsert(j);
        }
        let text = journal.save();
        assert!(text.chars().count() <= MAX_JOURNAL_CHARS);
        let (loaded, _) = Journal::load(Some(&text));
        assert_eq!(loaded.jobs.first().map(|j| j.created_ms), Some(21));
    }

    #[test]
    fn reload_recovery_uses_the_file_at_hand_rule() {
        let mut journal = Journal::new();
        let mut a = job(1, 0);
        a.start_attempt(1).unwrap();
        let mut b = job(2, 0);
        b.start_attempt(1).unwrap();
        b.record_answer(Err("offline"), &RetryPolicy::default(), 2, 0)
            .unwrap();
        let c = following(3);
        journal.upsert(a.clone());
        journal.upsert(b.clone());
        journal.upsert(c);
        let changed = journal.recover_after_reload(10, |id| id == &a.id);
        assert_eq!(
            changed,
            vec![
                (a.id.clone(), Recovery::ResendSameKey),
                (b.id.clone(), Recovery::CheckZuora)
            ]
        );
        let a2 = journal.get(&a.id).unwrap();
        assert_eq!(
            (a2.state.clone(), &a2.idempotency_key),
            (JobState::Queued, &a.idempotency_key)
        );
        let b2 = journal.get(&b.id).unwrap();
        assert!(wording::jobs::job_sentence(b2, 10).contains(b.track_id.as_str()));
        assert_eq!(journal.to_follow().count(), 1);
    }

    fn all(_: &JobId) -> bool {
        true
    }

    #[test]
    fn only_jobs_whose_file_is_held_here_are_started_or_take_a_slot() {
        let mut journal = Journal::new();
        for i in 0..4u8 {
            journal.upsert(job(i, u64::from(i)));
        }
        let ids: Vec<JobId> = journal.jobs.iter().map(|j| j.id.clone()).collect();
        // Another tab holds the files of the first two and is sending them.
        for id in &ids[..2] {
            journal.get_mut(id).unwrap().start_attempt(0).unwrap();
        }
        let here = |id: &JobId| ids[2..].contains(id);
        assert_eq!(
            journal.to_start(0, DEFAULT_CONCURRENCY, here),
            ids[2..].to_vec()
        );
        // A tab that holds no file starts nothing, even a queued job.
        assert!(journal
            .to_start(0, DEFAULT_CONCURRENCY, |_| false)
            .is_empty());
    }

    #[test]
    fn the_queue_keeps_to_the_concurrency_cap() {
        let mut journal = Journal::new();
        for i in 0..5u8 {
            journal.upsert(job(i, u64::from(i)));
        }
        let first = journal.to_start(0, DEFAULT_CONCURRENCY, all);
        assert_eq!(
            first,
            vec![journal.jobs[0].id.clone(), journal.jobs[1].id.clone()]
        );
        for id in &first {
            journal.get_mut(id).unwrap().start_attempt(0).unwrap();
        }
        assert!(journal.to_start(0, DEFAULT_CONCURRENCY, all).is_empty());
        let id0 = first[0].clone();
        journal
            .get_mut(&id0)
            .unwrap()
            .record_answer(Err("offline"), &RetryPolicy::default(), 0, 0)
            .unwrap();
        // Waiting to retry keeps the slot; when due, it is started again.
        assert!(journal.to_start(1, DEFAULT_CONCURRENCY, all).is_empty());
        assert_eq!(
            journal.to_start(60_000, DEFAULT_CONCURRENCY, all),
            vec![id0]
        );
    }

    #[test]
    fn clearing_removes_one_job_or_every_finished_one_or_all() {
        let mut journal = sample();
        let first = journal.jobs[0].id.clone();
        assert!(journal.remove(&first).is_some());
        assert!(journal.remove(&first).is_none());
        assert_eq!(journal.clear_finished(), 1);
        assert_eq!(journal.jobs.len(), 2);
        journal.clear_all();
        assert!(journal.jobs.is_empty());
    }

    #[test]
    fn csv_export_has_stable_columns_and_quotes_what_needs_it() {
        let journal = sample();
        let text = journal.export_csv(1_000);
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(header, EXPORT_COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 4);
        assert_eq!(&rows[0][9], "completed");
        assert_eq!(&rows[0][12], "1970-01-01T00:00:00.100Z");
        assert_eq!((&rows[0][18], &rows[0][21]), ("3", "1"));
        assert_eq!(&rows[1][2], "Part 1 of 2, “fx”, rows 1–500");
        assert_eq!(&rows[3][9], "refused");
        let json: serde_json::Value = serde_json::from_str(&journal.export_json()).unwrap();
        assert_eq!(json["version"], 1);
        assert_eq!(json["jobs"].as_array().unwrap().len(), 4);
    }
}
