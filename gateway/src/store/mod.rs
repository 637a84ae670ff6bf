//! The team's history: every submission and the mass action it became.
