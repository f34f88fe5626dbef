//! Every user-facing text of the app, in one place (English now; German follows).

pub const TAB_TITLE: &str = "Connections";
pub const REFRESH: &str = "Refresh";
pub const ADD: &str = "Add";
pub const RETRY: &str = "Retry";
pub const LOADING: &str = "Loading connections…";
pub const EMPTY: &str = "No connections have been created yet";
pub const EMPTY_HINT: &str = "Click Add to connect a Cloudinary account.";
pub const LIST_CAPTION: &str = "Cloudinary connections";
pub const COL_ID: &str = "ID";
pub const COL_NAME: &str = "Name";

/// "Columns (x)": the button that opens the columns bar.
pub fn columns(shown: usize) -> String {
    format!("Columns ({shown})")
}

pub const ERR_UNREACHABLE: &str =
    "The server cannot be reached. Check your network connection, then try again.";
pub const ERR_UNAUTHORIZED: &str =
    "Your session is not authorised to see the connections. Sign in again, then try again.";
pub const ERR_SERVER: &str = "The server could not load the connections. Try again in a moment.";

// ---- The list screen (route `/`) ----------------------------------------------------------

pub const COLUMNS_BAR: &str = "Columns";
pub const RESET_COLUMNS: &str = "Reset columns";
pub const COLUMNS_MIN_HINT: &str = "At least one column stays shown.";
pub const COLUMNS_ORDER_HINT: &str =
    "Drag a column, or use Move up and Move down (Alt+Arrow keys on a column), to change the order.";
pub const COL_DRIVER: &str = "Driver";
pub const COL_CLOUD_NAME: &str = "Cloud name";
pub const COL_API_KEY: &str = "API key";
pub const COL_STATUS: &str = "Status";
pub const COL_LAST_VERIFIED: &str = "Last verified";
pub const COL_CREATED: &str = "Created";
pub const COL_UPDATED: &str = "Updated";

/// Accessible name of the button that moves column `col` one place up.
pub fn move_up(col: &str) -> String {
    format!("Move {col} up")
}

/// Accessible name of the button that moves column `col` one place down.
pub fn move_down(col: &str) -> String {
    format!("Move {col} down")
}

pub const FILTER: &str = "Filter";
pub const FILTER_PLACEHOLDER: &str = "Name, cloud name or ID";
pub const CLEAR_FILTER: &str = "Clear filter";

/// Shown when the filter matches nothing.
pub fn no_match(q: &str) -> String {
    format!("No connections match “{q}”.")
}

pub const TABLE_HINT: &str = "Arrow keys move between rows, Space selects a row, Enter opens it.";
pub const SELECT_ALL: &str = "Select all rows on this page";

/// Accessible name of a row's checkbox.
pub fn select_row(name: &str) -> String {
    format!("Select {name}")
}

/// The editing toolbar's count.
pub fn selected(n: usize) -> String {
    format!("{n} selected")
}

pub const SELECTION_TOOLBAR: &str = "Selected connections";
pub const EDIT: &str = "Edit";
pub const DUPLICATE: &str = "Duplicate";
pub const TEST: &str = "Test";
pub const DELETE: &str = "Delete";
pub const CANCEL: &str = "Cancel";
pub const DISMISS: &str = "Dismiss";
pub const TESTING: &str = "Testing…";
pub const DELETING: &str = "Deleting…";
pub const NEVER: &str = "Never";

/// Title of the delete confirmation.
pub fn delete_title(n: usize) -> String {
    if n == 1 {
        "Delete 1 connection?".into()
    } else {
        format!("Delete {n} connections?")
    }
}

pub const DELETE_BODY: &str =
    "These connections will be deleted. This cannot be undone; the Cloudinary accounts themselves are not touched.";

/// Last line of a shortened list of names.
pub fn and_more(n: usize) -> String {
    format!("and {n} more")
}

pub fn deleted(name: &str) -> String {
    format!("Deleted “{name}”.")
}

pub fn delete_failed(name: &str, reason: &str) -> String {
    format!("Could not delete “{name}”: {reason}")
}

pub fn tested(name: &str, status: &str) -> String {
    format!("Tested “{name}”: {status}.")
}

pub fn test_failed(name: &str, reason: &str) -> String {
    format!("Could not test “{name}”: {reason}")
}

pub const RESULTS: &str = "Results";
pub const GONE: &str = "it no longer exists.";

/// Accessible note on the row that was just saved.
pub const SAVED_NOTE: &str = "Saved";

/// Announced when the list shows the row the form just saved.
pub fn saved_announce(name: &str) -> String {
    format!("“{name}” was saved.")
}

pub const STATUS_OK: &str = "Connected";
pub const STATUS_INVALID: &str = "Invalid credentials";
pub const STATUS_RATE_LIMITED: &str = "Rate limited";
pub const STATUS_UNREACHABLE: &str = "Unreachable";
pub const STATUS_UNVERIFIED: &str = "Not verified";
pub const STATUS_ERROR: &str = "Error";

pub const PAGER: &str = "Pages";
pub const ROWS_PER_PAGE: &str = "Rows per page";
pub const FIRST_PAGE: &str = "First page";
pub const PREVIOUS_PAGE: &str = "Previous page";
pub const NEXT_PAGE: &str = "Next page";
pub const LAST_PAGE: &str = "Last page";

/// The pager's "from–to of total" ("0-0 of 0" when empty).
pub fn range(from: u64, to: u64, total: u64) -> String {
    format!("{from}-{to} of {total}")
}

// ---- The Connection view (routes `/new`, `/{id}`) ------------------------------------------

/// Texts of the Connection view (create and edit form).
pub mod form {
    use connections_api::State;

    pub const CREATE_TITLE: &str = "Create connection";

    /// Title of the edit view: names the connection ("Shop EU Connection").
    pub fn edit_title(name: &str) -> String {
        format!("{name} Connection")
    }

    /// The creation date under the title.
    pub fn created(date: &str) -> String {
        format!("Created {date}")
    }

    /// Name of a duplicated draft.
    pub fn copy_name(name: &str) -> String {
        format!("{name} (copy)")
    }

    pub const BACK: &str = "Back";
    pub const SAVE: &str = "Save";
    pub const TEST_CONNECTION: &str = "Test connection";
    pub const RELOAD: &str = "Reload";

    pub const NAME: &str = "Name";
    pub const NAME_HELP: &str = "Unique among your connections; at most 100 characters.";
    pub const DRIVER: &str = "Driver";
    pub const DRIVER_READONLY_HELP: &str = "The driver cannot be changed after creation.";
    pub const CHOOSE_DRIVER_HINT: &str = "Choose a driver to enter the credentials.";
    pub const CHOOSE_DRIVER_ERROR: &str = "Choose a driver.";
    pub const CREDENTIALS: &str = "Credentials";
    pub const REQUIRED: &str = "required";
    pub const REQUIRED_NOTE: &str = "Fields marked * are required.";

    pub const ENV_VAR: &str = "API environment variable";
    pub const ENV_VAR_HELP: &str = "Optional, not stored: paste cloudinary://<api_key>:<api_secret>@<cloud_name> from the API Keys page of your Cloudinary Console to fill in the fields below.";
    pub const ENV_VAR_FILLED: &str =
        "Filled in from the API environment variable. Check the fields, then click Save.";

    pub const SECRET_STORED: &str = "Stored — leave empty to keep it";
    pub const SHOW: &str = "Show";
    pub const HIDE: &str = "Hide";

    /// Accessible name of the show/hide toggle of a secret field.
    pub fn show_secret(label: &str) -> String {
        format!("Show {label}")
    }

    pub const LOADING: &str = "Loading the connection…";
    pub const LOADING_DRIVERS: &str = "Loading the drivers…";
    pub const NOT_FOUND: &str =
        "This connection does not exist (anymore). Go back to the list to choose another one.";
    pub const DUPLICATE_GONE: &str =
        "The connection to duplicate no longer exists; the form starts empty.";
    pub const LOAD_UNREACHABLE: &str =
        "The server cannot be reached. Check your network connection, then try again.";
    pub const LOAD_UNAUTHORIZED: &str =
        "Your session is not authorised to open connections. Sign in again, then try again.";
    pub const LOAD_SERVER: &str =
        "The server could not load this connection. Try again in a moment.";
    pub const RETRY: &str = "Retry";

    pub const SAVING: &str = "Saving…";
    pub const SAVE_INVALID: &str = "The connection was not saved: check the fields marked below.";
    pub const SAVE_UNREACHABLE: &str = "The connection was not saved: the server cannot be reached. Everything you entered is still here; check your network connection, then click Save again.";
    pub const SAVE_UNAUTHORIZED: &str = "The connection was not saved: your session is not authorised. Sign in again in another tab, then click Save again.";
    pub const SAVE_GONE: &str = "The connection was not saved: it was deleted by someone else in the meantime. Go back to the list, or copy what you need first.";
    pub const CONFLICT: &str = "Someone else changed this connection after you opened it, so your changes were not saved. Your entries are still shown. Reload to see their version (your changes are discarded), or go Back.";

    /// A save refused by the server for another reason (5xx …).
    pub fn save_failed(detail: &str) -> String {
        if detail.is_empty() {
            "The connection was not saved: the server had a problem. Everything you entered is still here; click Save again in a moment.".into()
        } else {
            format!("The connection was not saved: {detail} Everything you entered is still here; click Save again in a moment.")
        }
    }

    pub const TESTING: &str = "Testing the connection…";
    pub const TEST_UNREACHABLE: &str =
        "The connection could not be tested: the server cannot be reached.";
    pub const TEST_FAILED: &str = "The connection could not be tested. Try again in a moment.";
    pub const TEST_NEEDS_FIELDS: &str = "Fill in the credentials marked below, then test again.";

    /// The result of Test connection ("Connected", "Invalid credentials: …").
    pub fn tested(state: State, detail: Option<&str>) -> String {
        let label = status_label(state);
        match detail.filter(|d| !d.trim().is_empty()) {
            Some(d) => format!("{label}: {d}"),
            None => label.to_string(),
        }
    }

    /// A verification problem at the field it lies in.
    pub fn verify_field_problem(state: State, key: &str, label: &str) -> String {
        match (state, key) {
            (State::InvalidCredentials, "cloud_name") => {
                format!("Cloudinary does not know this {label}. Copy it from your Cloudinary dashboard.")
            }
            (State::InvalidCredentials, _) => format!(
                "Cloudinary rejected this {label} together with the API-Secret. Copy both from the API Keys page of your Cloudinary Console."
            ),
            _ => format!("Cloudinary reported a problem with this {label}."),
        }
    }

    pub const DISCARD_TITLE: &str = "Discard your changes?";
    pub const DISCARD_BODY: &str =
        "You changed this connection. If you go back now, your changes are lost.";
    pub const DISCARD: &str = "Discard changes";
    pub const KEEP_EDITING: &str = "Keep editing";

    /// The label of a verification state (the list's words).
    pub fn status_label(state: State) -> &'static str {
        match state {
            State::Ok => super::STATUS_OK,
            State::InvalidCredentials => super::STATUS_INVALID,
            State::RateLimited => super::STATUS_RATE_LIMITED,
            State::Unreachable => super::STATUS_UNREACHABLE,
            State::Unverified => super::STATUS_UNVERIFIED,
            State::Error => super::STATUS_ERROR,
        }
    }
}

/// The empty list's own Add action (the Add at the bottom right keeps the plain name).
pub const ADD_FIRST: &str = "Add connection";
