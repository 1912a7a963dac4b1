//! Players' names: the one rule for what a name may hold, wherever it comes from (a form, the
//! command line, a `hello` on the wire, a record read back).

/// The longest name kept, in characters; longer names are cut.
pub const MAX_NAME_CHARS: usize = 32;

/// A name as it is kept and shown; may be empty (see [`name_or`]).
///
/// Control characters (line breaks among them) become spaces, surrounding white space goes, and
/// at most [`MAX_NAME_CHARS`] characters are kept.
#[must_use]
pub fn clean_name(name: &str) -> String {
    let spaced: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let cut: String = spaced.trim().chars().take(MAX_NAME_CHARS).collect();
    cut.trim_end().to_owned()
}

/// [`clean_name`], or `fallback` when nothing is left of `name`.
#[must_use]
pub fn name_or(name: &str, fallback: &str) -> String {
    let cleaned = clean_name(name);
    if cleaned.is_empty() {
        fallback.to_owned()
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_cleaned_one_way() {
        assert_eq!(clean_name("  \u{7}Ann\n "), "Ann");
        assert_eq!(clean_name("Ann\nBob"), "Ann Bob");
        assert_eq!(name_or("", "Host"), "Host");
        assert_eq!(name_or(" \t ", "Host"), "Host");
        assert_eq!(clean_name(&"a".repeat(100)).chars().count(), MAX_NAME_CHARS);
        assert_eq!(clean_name(&"é".repeat(40)).chars().count(), MAX_NAME_CHARS);
        let once = clean_name(&format!("{} tail", "b".repeat(31)));
        assert_eq!(clean_name(&once), once, "cleaning twice changes nothing");
    }
}
