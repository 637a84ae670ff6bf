//! Leptos components, one per file, each named for what it shows.

mod action_type_field;
mod app;
mod cell_editor;
mod cell_ids;
mod confirm_dialog;
pub mod drop_zone;
mod file_summary;
mod findings_list;
mod focus;
mod job_actions;
mod job_row;
mod job_status;
mod live_region;
mod preflight_view;
mod preview_table;
mod repair_panel;
mod response_view;
mod results_table;
mod settings_panel;
mod submission_views;
mod submit_panel;
mod team_filters;
mod team_history;
mod team_row;
mod too_big;

pub use action_type_field::ActionTypeField;
pub use app::App;
pub use cell_editor::CellEditor;
pub use confirm_dialog::ConfirmDialog;
pub use drop_zone::DropZone;
pub use file_summary::FileSummary;
pub use findings_list::FindingsList;
pub use job_actions::JobActions;
pub use job_row::JobRow;
pub use job_status::JobStatus;
pub use live_region::LiveRegion;
pub use preflight_view::PreflightView;
pub use preview_table::PreviewTable;
pub use repair_panel::RepairPanel;
pub use response_view::ResponseView;
pub use results_table::ResultsTable;
pub use settings_panel::SettingsPanel;
pub use submission_views::SubmissionViews;
pub use submit_panel::SubmitPanel;
pub use team_filters::TeamFilters;
pub use team_history::TeamHistory;
pub use team_row::TeamRow;
pub use too_big::TooBigPanel;

use std::sync::atomic::{AtomicU32, Ordering};

/// An element id unique within the page, so several app instances can share one
/// document without their labels pointing at each other's controls.
pub(crate) fn unique_id(stem: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(1);
    format!("mu-{stem}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
