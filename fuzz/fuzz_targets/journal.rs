//! The journal loader and what is done with a loaded journal: saved again within
//! bounds, merged with what another tab stored (through `JournalSharing`), recovered
//! after a reload, exported. The input is two stored texts, ours and another tab's,
//! separated by a NUL byte.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mass_updater_domain::{Journal, JournalSharing};

const NOW_MS: u64 = 1_764_900_000_000;

fuzz_target!(|input: &[u8]| {
    let text = String::from_utf8_lossy(input);
    let (ours, theirs) = text.split_once('\0').unwrap_or((&text, ""));
    let theirs = Some(theirs).filter(|t| !t.is_empty());

    let (mut journal, problem) = Journal::load(Some(ours));
    if let Some(problem) = problem {
        let _ = problem.to_string();
    }
    // What is saved loads again to the same jobs, without a problem.
    let saved = journal.save();
    let (again, problem) = Journal::load(Some(&saved));
    assert_eq!(problem, None, "a saved journal does not load: {saved}");
    assert_eq!(again.save(), saved, "a saved journal loads differently");

    let dropped = journal.enforce_bounds();
    let mut sharing = JournalSharing::new(Some("stamp".into()));
    sharing.forget(&dropped);
    // Another tab's list taken in: what comes out saves and loads without a problem.
    let mut taken = journal.clone();
    let _ = sharing.absorb(&mut taken, theirs);
    let (_, problem) = Journal::load(Some(&taken.save()));
    assert_eq!(problem, None, "a journal that took in another tab's does not load");
    let merged = sharing.text_to_store(&journal, Some("other"), || theirs.map(str::to_owned));
    let (_, problem) = Journal::load(Some(&merged));
    assert_eq!(problem, None, "a merged journal does not load: {merged}");

    let _ = journal.recover_after_reload(NOW_MS, |_| false);
    let _ = journal.to_start(NOW_MS, 3, |_| true);
    let _ = journal.to_follow().count();
    let _ = journal.export_json();
    let _ = journal.export_csv(NOW_MS);
    let _ = journal.clear_finished();
});
