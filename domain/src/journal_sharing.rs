//! What one tab of the app (or one instance on a page) keeps in mind about the job list
//! it shares with the others under [`JOURNAL_STORAGE_KEY`](crate::JOURNAL_STORAGE_KEY):
//! the jobs it dropped, the stamp its last save wrote, and whether that save kept jobs
//! from another tab. With them it decides how to save: written over what is stored
//! ([`Journal::save_over`]) so that no tab drops another's jobs, or written plainly when
//! nobody else can have saved since.

use crate::job::JobId;
use crate::journal::Journal;
use std::collections::HashSet;

/// One tab's side of the shared journal.
#[derive(Clone, Debug, Default)]
pub struct JournalSharing {
    /// Jobs this tab dropped (removed, cleared, or past the size bound): a save over
    /// what another tab stored must not bring them back.
    forgotten: HashSet<JobId>,
    /// The stamp this tab's last save wrote, or that it found when loading.
    last_stamp: Option<String>,
    /// Whether this tab's last save kept jobs, or newer versions of jobs, that came
    /// from another tab: its next save must merge again.
    kept_theirs: bool,
}

impl JournalSharing {
    /// A tab that loaded the journal when `stamp` was the stored stamp.
    pub fn new(stamp: Option<String>) -> JournalSharing {
        JournalSharing {
            last_stamp: stamp,
            ..JournalSharing::default()
        }
    }

    /// Jobs this tab dropped; they are never written back from another tab's list.
    pub fn forget(&mut self, ids: &[JobId]) {
        self.forgotten.extend(ids.iter().cloned());
    }

    /// The text to store for `journal` now, given `stored_stamp`, the stamp in storage
    /// now. `read_stored` reads the stored list; it is called only when it is needed:
    /// when another tab (or instance) has saved since this one did, or when this one's
    /// last save kept jobs of another. Alone, a tab saves without reading anything.
    pub fn text_to_store(
        &mut self,
        journal: &Journal,
        stored_stamp: Option<&str>,
        read_stored: impl FnOnce() -> Option<String>,
    ) -> String {
        let alone = self.is_current(stored_stamp) && !self.kept_theirs;
        if alone {
            return journal.save();
        }
        let merged = journal.save_over(read_stored().as_deref(), &self.forgotten);
        self.kept_theirs = merged.kept_theirs;
        merged.text
    }

    /// Whether `stored_stamp` (the stamp in storage now) is the one this tab last wrote
    /// or found: then nobody has saved since, and there is nothing to take in.
    pub fn is_current(&self, stored_stamp: Option<&str>) -> bool {
        stored_stamp.is_some() && self.last_stamp.as_deref() == stored_stamp
    }

    /// The text was stored, with `stamp` next to it.
    pub fn stored(&mut self, stamp: String) {
        self.last_stamp = Some(stamp);
    }

    /// Takes into `journal` what another tab saved, except the jobs this tab dropped:
    /// see [`Journal::absorb`]. Returns the ids added or replaced.
    pub fn absorb(&self, journal: &mut Journal, stored: Option<&str>) -> Vec<JobId> {
        journal.absorb(stored, &self.forgotten)
    }
}

/// The Web Lock a tab holds on a job while the job is queued or being sent from it (so
/// other tabs know it is not interrupted), and that they wait for to learn when it ends.
pub fn sending_lock(id: &JobId) -> String {
    format!("mass-updater:sending:{id}")
}

/// The Web Lock held by the one tab that polls a followed job; the others show what it
/// saves, and the next in line takes over when that tab closes.
pub fn following_lock(id: &JobId) -> String {
    format!("mass-updater:following:{id}")
}

/// A new stamp, from 16 random bytes.
pub fn new_stamp(random: [u8; 16]) -> String {
    format!("{:032x}", u128::from_le_bytes(random))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::tests::job;
    use std::cell::Cell;

    fn journal(jobs: &[u8]) -> Journal {
        let mut j = Journal::new();
        for &seed in jobs {
            j.upsert(job(seed, 1_000 + u64::from(seed)));
        }
        j
    }

    fn ids(text: &str) -> Vec<JobId> {
        Journal::load(Some(text))
            .0
            .jobs
            .into_iter()
            .map(|j| j.id)
            .collect()
    }

    #[test]
    fn alone_a_tab_saves_without_reading_what_is_stored() {
        let mine = journal(&[1, 2]);
        let mut sharing = JournalSharing::new(Some("s1".into()));
        let read = Cell::new(false);
        let text = sharing.text_to_store(&mine, Some("s1"), || {
            read.set(true);
            None
        });
        assert!(!read.get(), "the stored list was read");
        assert_eq!(text, mine.save());
    }

    #[test]
    fn after_another_tab_saved_its_jobs_are_kept_until_this_tab_saves_alone_again() {
        let mine = journal(&[1]);
        let theirs = journal(&[1, 2]).save();
        let mut sharing = JournalSharing::new(Some("s1".into()));
        // Another tab saved (the stamp is not ours): merge.
        let text = sharing.text_to_store(&mine, Some("s2"), || Some(theirs.clone()));
        assert_eq!(
            ids(&text),
            journal(&[1, 2])
                .jobs
                .iter()
                .map(|j| j.id.clone())
                .collect::<Vec<_>>()
        );
        sharing.stored("s3".into());
        // Our own stamp, but the last save kept their job: merge again.
        let read = Cell::new(false);
        sharing.text_to_store(&mine, Some("s3"), || {
            read.set(true);
            Some(theirs.clone())
        });
        assert!(read.get(), "a save that kept their jobs must merge again");
    }

    #[test]
    fn no_stamp_stored_means_merging() {
        let mine = journal(&[1]);
        let mut sharing = JournalSharing::new(None);
        let read = Cell::new(false);
        sharing.text_to_store(&mine, None, || {
            read.set(true);
            None
        });
        assert!(read.get());
    }

    #[test]
    fn a_dropped_job_is_not_brought_back_nor_taken_in_again() {
        let mut mine = journal(&[1, 2]);
        let stored = mine.save();
        let two = mine.jobs[1].id.clone();
        mine.remove(&two);
        let mut sharing = JournalSharing::new(Some("s1".into()));
        sharing.forget(std::slice::from_ref(&two));
        let text = sharing.text_to_store(&mine, Some("s2"), || Some(stored.clone()));
        assert!(!ids(&text).contains(&two));
        assert_eq!(sharing.absorb(&mut mine.clone(), Some(&stored)), vec![]);
        assert_eq!(
            JournalSharing::default().absorb(&mut mine, Some(&stored)),
            vec![two]
        );
    }

    #[test]
    fn the_stored_list_is_current_while_the_stamp_is_this_tabs() {
        let mut sharing = JournalSharing::new(Some("s1".into()));
        assert!(sharing.is_current(Some("s1")));
        assert!(!sharing.is_current(Some("s2")), "another tab saved");
        assert!(!sharing.is_current(None));
        sharing.stored("s3".into());
        assert!(sharing.is_current(Some("s3")));
        assert!(!JournalSharing::new(None).is_current(None));
    }

    #[test]
    fn stamps_are_32_hex_digits() {
        assert_eq!(new_stamp([0xab; 16]), "ab".repeat(16));
        assert_eq!(new_stamp([0; 16]).len(), 32);
    }
}
