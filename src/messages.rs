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

pub const TABLE_HINT: &str =
    "Arrow keys move between rows, Space selects a row, Enter opens it.";
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
