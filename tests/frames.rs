//! Code frames of the default report on minified requests: a window of the line around the
//! finding, cut at `…`, instead of the whole request once per finding.

use std::fs;

use crate::cli::{ctelint, workspace};
use crate::hostile::minified_sample;
use ctelint::fix::fixer::FixPolicy;
use ctelint::json::ParseOptions;
use ctelint::linter;
use ctelint::output::{Style, render_diagnostic};
use ctelint::profile::Profile;
use ctelint::settings::{Selection, Selector, Settings};

/// The minified vendor sample with `member` (`"name":value`) put first.
fn minified_with(member: &str) -> String {
    format!("{{{member},{}", &minified_sample()[1..])
}

#[test]
fn minified_requests_are_framed_by_a_window_of_their_line() {
    let dir = workspace(None);
    let text = minified_with("\"colour\":\"blue\"")
        .replace("\"undeletable\":false", "\"undeletable\":true")
        .replace("\"unexportable\":false", "\"unexportable\":true");
    fs::write(dir.path().join("minified.json"), &text).unwrap();
    let run = ctelint(dir.path(), &["check", "--color", "never", "minified.json"], None);
    assert_eq!(run.code, 1, "{}", run.transcript());
    // The request is several times as wide as the report, which shows none of it whole.
    assert!(text.len() > 500, "{}", text.len());
    assert!(
        run.stdout.lines().all(|line| line.chars().count() <= 100),
        "{}",
        run.stdout
    );
    insta::assert_snapshot!(run.transcript());
}

/// Where the underline of a frame's first label starts and ends, in characters of the frame
/// line's text (after the gutter, which is as wide on both rows).
fn underline(row: &str) -> (usize, usize) {
    let marks: Vec<usize> = row
        .chars()
        .skip(5)
        .enumerate()
        .filter(|&(_, c)| matches!(c, '─' | '┬'))
        .map(|(i, _)| i)
        .collect();
    (marks[0], marks[marks.len() - 1])
}

/// Wherever the finding is on a long line, and whatever characters surround it, the window
/// shows a piece of the line no wider than the report, marks each cut with `…`, and
/// underlines exactly the finding's text.
#[test]
fn a_window_underlines_the_finding_wherever_it_is_on_the_line() {
    let settings = Settings::new(
        Profile::Standard,
        &Selection {
            select: Some(vec![Selector::All]),
            ..Selection::default()
        },
        Vec::new(),
    );
    let style = Style {
        color: false,
        width: 80,
        policy: FixPolicy::safe(),
    };
    let filler = ['a', 'é', '€', 'x', 'ß', ' '];
    let mut windows = [0; 2];
    for before in (0..400).step_by(9) {
        let before: String = (0..before).map(|i| filler[i % filler.len()]).collect();
        let text = minified_with(&format!("\"description\":\"{before}\",\"colour\":1"));
        let result = linter::lint_bytes("long.json", text.as_bytes(), ParseOptions::STRICT, &settings);
        let (source, diagnostics) = result.shown();
        let mut framed = 0;
        for diagnostic in diagnostics
            .iter()
            .filter(|d| d.related.is_empty() && !d.span.is_empty())
        {
            let rendered = render_diagnostic(diagnostic, &source, &style);
            let rows: Vec<&str> = rendered.lines().collect();
            let Some(at) = rows.iter().position(|row| row.starts_with(" 1 │ ")) else {
                continue;
            };
            framed += 1;
            let shown: Vec<char> = rows[at].chars().skip(5).collect();
            let (first, last) = underline(rows[at + 1]);
            let expected = &source.text()[diagnostic.span.range()];
            let underlined: String = shown[first..=last].iter().collect();
            assert_eq!(underlined, expected, "{rendered}");
            assert!(shown.len() <= 70, "{} characters shown:\n{rendered}", shown.len());
            // Between its cuts, the window is a piece of the line.
            let inner: String = shown.iter().collect();
            let cut_before = inner.starts_with('…');
            let inner = inner.strip_prefix('…').unwrap_or(&inner);
            let cut_after = inner.ends_with('…') && !text.ends_with('…');
            let inner = if cut_after {
                inner.strip_suffix('…').unwrap()
            } else {
                inner
            };
            let from = text
                .find(inner)
                .unwrap_or_else(|| panic!("not a piece of the line:\n{rendered}"));
            assert_eq!(cut_before, from > 0, "{rendered}");
            assert_eq!(cut_after, from + inner.len() < text.len(), "{rendered}");
            windows[usize::from(cut_before)] += 1;
        }
        assert!(framed >= 2, "{framed} frames for a line of {} bytes", text.len());
    }
    // Findings at the start of the line and in its middle were both met.
    assert!(windows[0] >= 2 && windows[1] > 10, "{windows:?}");
}
