//! What the client does after an answer, as plain logic: a `401` asks the host for a fresh
//! token once and retries; a `401`/`403` after that (or a `401` with no way to refresh) tells
//! the host its session is not authorised.

/// The step after an answer with `status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Hand the answer to the caller.
    Done,
    /// Get a fresh token (the host's `getToken`) and send the request once more.
    Retry,
    /// Hand the answer to the caller and tell the host (`…:unauthorized`).
    Unauthorized,
}

/// `retried`: this answer is to the retry; `can_refresh`: the host gave a `getToken`.
pub fn after(status: u16, retried: bool, can_refresh: bool) -> Next {
    match (status, retried) {
        (401, false) if can_refresh => Next::Retry,
        (401, false) => Next::Unauthorized,
        (401 | 403, true) => Next::Unauthorized,
        _ => Next::Done,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_401_retries_once_when_the_host_can_refresh() {
        assert_eq!(after(401, false, true), Next::Retry);
        assert_eq!(after(401, true, true), Next::Unauthorized);
        assert_eq!(after(403, true, true), Next::Unauthorized);
        assert_eq!(after(200, true, true), Next::Done);
    }

    #[test]
    fn without_get_token_a_401_is_final() {
        assert_eq!(after(401, false, false), Next::Unauthorized);
    }

    #[test]
    fn other_answers_pass_through() {
        // A first 403 is a refused permission (a read-only user), not an expired session.
        assert_eq!(after(403, false, true), Next::Done);
        assert_eq!(after(404, false, true), Next::Done);
        assert_eq!(after(500, false, false), Next::Done);
        assert_eq!(after(204, false, true), Next::Done);
    }
}
