//! The in-page confirmation of what cannot be undone: the question the dialog asks (the
//! domain's [`Confirmation`]), and carrying out the answer.

use super::Jobs;
use leptos::prelude::*;
use mass_updater_domain::{Confirmation, Question};

impl Jobs {
    /// Asks for confirmation of what `c` would do; [`Jobs::confirmed`] carries it out.
    pub fn ask(&self, c: Confirmation) {
        self.confirm.set(Some(c));
    }

    /// The question the dialog shows for `c`; tracked, so it follows the list.
    pub fn question(&self, c: &Confirmation) -> Option<Question> {
        self.outcomes.track();
        self.journal.with_value(|j| c.question(j))
    }

    /// The user answered the dialog.
    pub fn confirmed(&self, yes: bool) {
        let Some(c) = self.confirm.get_untracked() else {
            return;
        };
        self.confirm.set(None);
        match (c, yes) {
            (Confirmation::SubmitNewKey { .. }, yes) => self.answer_pending(yes),
            (_, false) => self.ask_next_pending(),
            (Confirmation::SendAgain(id), true) => self.resend_new_key(&id),
            (Confirmation::Stop(id), true) => self.stop(&id),
            (Confirmation::ClearAll, true) => self.clear_all(),
        }
    }
}
