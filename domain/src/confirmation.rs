//! The questions the app asks before what cannot be undone: sending a file again under
//! a new key (Zuora may already have processed it), stopping a mass action, and clearing
//! the job list.

use crate::job::JobId;
use crate::journal::Journal;
use crate::wording::jobs as words;

/// What the in-page confirmation dialog is asking about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// Send an ended job's file again under a new key.
    SendAgain(JobId),
    /// A file handed over (the front of the queue waiting for an answer) whose last job
    /// may have been processed: send it under a new key?
    SubmitNewKey {
        file_name: String,
        track_id: String,
    },
    Stop(JobId),
    ClearAll,
}

/// A question as the dialog shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    pub sentence: String,
    /// The confirming button's label.
    pub confirm: &'static str,
}

impl Confirmation {
    /// The question, about the jobs of `journal`; `None` when the job it is about is
    /// gone.
    pub fn question(&self, journal: &Journal) -> Option<Question> {
        let (sentence, confirm) = match self {
            Confirmation::SendAgain(id) => {
                let job = journal.get(id)?;
                (
                    words::confirm_send_again_sentence(&job.file_name, job.track_id.as_str()),
                    words::SEND_AGAIN_WITH_NEW_KEY,
                )
            }
            Confirmation::SubmitNewKey {
                file_name,
                track_id,
            } => (
                words::confirm_send_again_sentence(file_name, track_id),
                words::SEND_AGAIN_WITH_NEW_KEY,
            ),
            Confirmation::Stop(id) => (
                words::confirm_stop_sentence(&journal.get(id)?.file_name),
                words::STOP_THE_MASS_ACTION,
            ),
            Confirmation::ClearAll => (
                words::confirm_clear_all_sentence(journal.jobs.len()),
                words::CLEAR_ALL,
            ),
        };
        Some(Question { sentence, confirm })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::job::tests::job;

    #[test]
    fn each_question_names_its_file_and_its_button_says_what_it_does() {
        let mut journal = Journal::new();
        let one = job(1, 1_000);
        journal.upsert(one.clone());
        let stop = Confirmation::Stop(one.id.clone())
            .question(&journal)
            .unwrap();
        assert!(stop
            .sentence
            .starts_with("Stop the mass action for “fx.csv”?"));
        assert_eq!(stop.confirm, "Stop the mass action");
        let again = Confirmation::SendAgain(one.id.clone())
            .question(&journal)
            .unwrap();
        assert!(again.sentence.contains(one.track_id.as_str()));
        assert_eq!(again.confirm, "Send again with a new key");
        let clear = Confirmation::ClearAll.question(&journal).unwrap();
        assert!(clear.sentence.starts_with("Remove all 1 jobs"));
        assert_eq!(clear.confirm, "Clear all");
    }

    #[test]
    fn a_question_about_a_job_that_is_gone_is_not_asked() {
        let gone = job(2, 1_000).id;
        assert_eq!(
            Confirmation::Stop(gone.clone()).question(&Journal::new()),
            None
        );
        assert_eq!(
            Confirmation::SendAgain(gone).question(&Journal::new()),
            None
        );
    }
}
