//! A setting's value and where it came from, and what a source held that could not be
//! used. Their wording (a source's label, a problem's sentence) is in
//! [`crate::wording::config`].

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    Default,
    Page,
    File,
    Host,
    /// Changed in the settings panel, for this session.
    User,
}

/// A value and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    pub(super) fn default(value: T) -> Setting<T> {
        Setting {
            value,
            source: Source::Default,
        }
    }
}

/// Something in a source that could not be used; the app goes on without it. Its
/// `Display` adds the source to the message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigProblem {
    pub source: Source,
    /// The key as the source wrote it (camelCase once read), or empty for the whole
    /// source.
    pub key: String,
    /// One sentence.
    pub message: String,
}
