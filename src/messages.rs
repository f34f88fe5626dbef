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
