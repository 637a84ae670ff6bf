//! Where the focus goes when the element that had it is gone.

use leptos::prelude::*;

/// The job list's heading, where the focus goes when the row or the button that had it
/// is removed (provided as context by the list).
#[derive(Clone, Copy)]
pub struct ListHeading(pub NodeRef<leptos::html::H2>);
