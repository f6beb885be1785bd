//! The `date-time` format of JSON Schema: RFC 3339 §5.6 `date-time`, strictly (four-digit
//! year, a day that exists in its month, `T` between date and time, a zone), with a leap
//! second only where it can occur: at 23:59:60 UTC.

/// Whether `text` is an RFC 3339 `date-time`.
pub(super) fn is_date_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() >= 20 && matches!(bytes[10], b'T' | b't') && is_full_date(&bytes[..10]) && is_full_time(&bytes[11..])
}

/// The value of the ASCII digits `bytes`, if they are all digits.
fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0, |value, &b| {
        b.is_ascii_digit().then(|| value * 10 + u32::from(b - b'0'))
    })
}

/// `YYYY-MM-DD`, a real day.
fn is_full_date(bytes: &[u8]) -> bool {
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let (Some(year), Some(month), Some(day)) = (digits(&bytes[..4]), digits(&bytes[5..7]), digits(&bytes[8..10]))
    else {
        return false;
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// `HH:MM:SS[.fraction](Z|±HH:MM)`.
fn is_full_time(bytes: &[u8]) -> bool {
    if bytes.len() < 9 || bytes[2] != b':' || bytes[5] != b':' {
        return false;
    }
    let (Some(hour), Some(minute), Some(second)) = (digits(&bytes[..2]), digits(&bytes[3..5]), digits(&bytes[6..8]))
    else {
        return false;
    };
    if hour > 23 || minute > 59 || second > 60 {
        return false;
    }
    let mut rest = &bytes[8..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let count = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
        if count == 0 {
            return false;
        }
        rest = &fraction[count..];
    }
    // Minutes east of UTC.
    let offset: i64 = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (Some(hours), Some(minutes)) = (digits(&[*h1, *h2]), digits(&[*m1, *m2])) else {
                return false;
            };
            if hours > 23 || minutes > 59 {
                return false;
            }
            let minutes = i64::from(hours * 60 + minutes);
            if *sign == b'+' { minutes } else { -minutes }
        }
        _ => return false,
    };
    if second == 60 {
        let utc = (i64::from(hour * 60 + minute) - offset).rem_euclid(24 * 60);
        return utc == 23 * 60 + 59;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::is_date_time;

    #[test]
    fn rfc_3339_date_times_are_told_apart() {
        for valid in [
            "2024-02-29T12:00:00Z",
            "2025-01-31t23:59:59.123456+05:30",
            "0000-01-01T00:00:00z",
            "1998-12-31T23:59:60Z",
            "1998-12-31T15:59:60-08:00",
            "2026-12-01T00:00:00+00:00",
        ] {
            assert!(is_date_time(valid), "{valid}");
        }
        for invalid in [
            "2023-02-29T12:00:00Z",
            "2024-04-31T12:00:00Z",
            "2024-13-01T12:00:00Z",
            "2024-00-10T12:00:00Z",
            "2024-01-00T12:00:00Z",
            "2024-01-01 12:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T12:60:00Z",
            "2024-01-01T12:00:61Z",
            "2024-01-01T12:00:60Z",
            "1998-12-31T23:59:60+01:00",
            "2024-01-01T12:00:00",
            "2024-01-01T12:00:00.Z",
            "2024-01-01T12:00:00+24:00",
            "2024-01-01T12:00:00+05:60",
            "2024-01-01T12:00:00+0530",
            "24-01-01T12:00:00Z",
            "2024-01-01",
            "２０２４-01-01T12:00:00Z",
            "",
        ] {
            assert!(!is_date_time(invalid), "{invalid}");
        }
    }
}
