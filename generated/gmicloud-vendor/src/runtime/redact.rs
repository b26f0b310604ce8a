//! `Debug` helpers that keep secrets out of logs: header values may be credentials or cookies.

use std::fmt;

use reqwest::header::HeaderMap;

/// Debug-prints the names of `headers`, never their values.
pub(super) struct HeaderNames<'a>(pub(super) &'a HeaderMap);

impl fmt::Debug for HeaderNames<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.0.keys().map(|k| k.as_str())).finish()
    }
}
