//! JSON numbers as serde_json 1.0.154 reads them without `float_roundtrip` (de.rs
//! `parse_integer` … `f64_from_parts`): a u64 if it fits, else an i64, else an f64 made from
//! the first 19–20 significant digits and a power of ten (not the correctly rounded float: the
//! `Value` must be serde_json's), `-0` a float; and `f64`'s `Display` text without linking it.

use super::{Reader, Res, INVALID_NUMBER, OUT_OF_RANGE};
use serde_json::{Number, Value};

/// serde_json's `ParserNumber`.
pub(super) enum Parsed {
    U64(u64),
    I64(i64),
    F64(f64),
}

impl Parsed {
    pub(super) fn value(self) -> Value {
        match self {
            Parsed::U64(n) => Value::Number(n.into()),
            Parsed::I64(n) => Value::Number(n.into()),
            Parsed::F64(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        }
    }

    /// serde's `Unexpected` for it, as serde_json's errors word it.
    pub(super) fn unexpected(self) -> String {
        match self {
            Parsed::F64(_) => format!("floating point `{}`", self.value()),
            n => format!("integer `{}`", n.value()),
        }
    }
}

/// Would `n * 10 + d` pass `max`? (serde_json's `overflow!`.)
fn overflows(n: u64, d: u64, max: u64) -> bool {
    n >= max / 10 && (n > max / 10 || d > max % 10)
}

impl Reader<'_> {
    /// A number, its first byte (`-` or a digit) peeked.
    pub(super) fn number(&mut self) -> Res<Parsed> {
        let positive = self.peek() != Some(b'-');
        if !positive {
            self.i += 1;
        }
        let first = match self.next() {
            None => return Err(self.error(super::EOF_VALUE)),
            Some(c) => c,
        };
        let mut significand = match first {
            b'0' => {
                if self.peek().is_some_and(|c| c.is_ascii_digit()) {
                    return Err(self.peek_error(INVALID_NUMBER));
                }
                0
            }
            b'1'..=b'9' => u64::from(first - b'0'),
            _ => return Err(self.error(INVALID_NUMBER)),
        };
        if first != b'0' {
            while let Some(d) = self.digit() {
                if overflows(significand, d, u64::MAX) {
                    // The digits past u64 only count as powers of ten.
                    let mut exponent = 0i32;
                    while self.digit().is_some() {
                        self.i += 1;
                        exponent = exponent.wrapping_add(1);
                    }
                    return self
                        .fraction(positive, significand, exponent)
                        .map(Parsed::F64);
                }
                self.i += 1;
                significand = significand * 10 + d;
            }
        }
        if matches!(self.peek(), Some(b'.' | b'e' | b'E')) {
            return self.fraction(positive, significand, 0).map(Parsed::F64);
        }
        Ok(if positive {
            Parsed::U64(significand)
        } else {
            let neg = (significand as i64).wrapping_neg();
            if neg >= 0 {
                Parsed::F64(-(significand as f64))
            } else {
                Parsed::I64(neg)
            }
        })
    }

    /// The next byte's value when it is a digit, not consumed.
    fn digit(&self) -> Option<u64> {
        self.peek()
            .filter(u8::is_ascii_digit)
            .map(|c| u64::from(c - b'0'))
    }

    /// What follows the integer part: an optional `.digits`, an optional exponent.
    fn fraction(&mut self, positive: bool, mut significand: u64, mut exponent: i32) -> Res<f64> {
        if self.peek() == Some(b'.') {
            self.i += 1;
            let mut any = false;
            while let Some(d) = self.digit() {
                any = true;
                if overflows(significand, d, u64::MAX) {
                    // serde_json's `parse_decimal_overflow`: the rest ignored.
                    while self.digit().is_some() {
                        self.i += 1;
                    }
                    break;
                }
                self.i += 1;
                significand = significand * 10 + d;
                exponent = exponent.wrapping_sub(1);
            }
            if !any {
                return Err(self.peek_error(match self.peek() {
                    Some(_) => INVALID_NUMBER,
                    None => super::EOF_VALUE,
                }));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            let positive_exp = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    false
                }
                Some(b'+') => {
                    self.i += 1;
                    true
                }
                _ => true,
            };
            let mut exp = match self.next() {
                None => return Err(self.error(super::EOF_VALUE)),
                Some(c @ b'0'..=b'9') => i32::from(c - b'0'),
                Some(_) => return Err(self.error(INVALID_NUMBER)),
            };
            while let Some(d) = self.digit() {
                self.i += 1;
                let d = d as i32;
                if overflows(exp as u64, d as u64, i32::MAX as u64) {
                    // serde_json's `parse_exponent_overflow`: ±0, or out of range.
                    if significand != 0 && positive_exp {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                    while self.digit().is_some() {
                        self.i += 1;
                    }
                    return Ok(if positive { 0.0 } else { -0.0 });
                }
                exp = exp * 10 + d;
            }
            exponent = if positive_exp {
                exponent.saturating_add(exp)
            } else {
                exponent.saturating_sub(exp)
            };
        }
        self.float(positive, significand, exponent)
    }

    /// serde_json's `f64_from_parts`: the significand times or over a power of ten.
    fn float(&self, positive: bool, significand: u64, mut exponent: i32) -> Res<f64> {
        let mut f = significand as f64;
        loop {
            let e = exponent.unsigned_abs();
            if e <= 308 {
                let pow = pow10(e);
                if exponent >= 0 {
                    f *= pow;
                    if f.is_infinite() {
                        return Err(self.error(OUT_OF_RANGE));
                    }
                } else {
                    f /= pow;
                }
                break;
            }
            if f == 0.0 {
                break;
            }
            if exponent >= 0 {
                return Err(self.error(OUT_OF_RANGE));
            }
            f /= 1e308;
            exponent += 308;
        }
        Ok(if positive { f } else { -f })
    }
}

/// 10^k (k ≤ 308) as the literal `1e{k}` reads: correctly rounded. Up to 10^22 it is exact by
/// multiplying; past that, 5^k is built exactly (u32 limbs), rounded to 53 bits (half to even)
/// and scaled by 2^k. (serde_json keeps a table of the 309 literals: 2.4 KB of data.)
pub(super) fn pow10(k: u32) -> f64 {
    if k <= 22 {
        return (0..k).fold(1.0, |f, _| f * 10.0);
    }
    let mut limbs: Vec<u32> = vec![1];
    for _ in 0..k {
        let mut carry = 0u64;
        for l in limbs.iter_mut() {
            let v = u64::from(*l) * 5 + carry;
            *l = v as u32;
            carry = v >> 32;
        }
        if carry > 0 {
            limbs.push(carry as u32);
        }
    }
    // The top 64 bits (the highest one set) and whether any bit below them is.
    let top = limbs.last().copied().unwrap_or(1);
    let bits = 32 * (limbs.len() as u32 - 1) + (32 - top.leading_zeros());
    let mut high = 0u64;
    let mut sticky = false;
    for (n, &l) in limbs.iter().enumerate().rev() {
        let from = 32 * n as u32;
        // The limb's bits at positions from..from+32, placed in `high` (bits-64..bits).
        let shift = i64::from(from) - (i64::from(bits) - 64);
        if shift >= 0 {
            high |= u64::from(l) << shift;
        } else if shift > -32 {
            high |= u64::from(l) >> -shift;
            sticky |= u64::from(l) << (64 + shift) != 0;
        } else {
            sticky |= l != 0;
        }
    }
    // 53 bits of 64: round half to even on the 11 below.
    let mut mantissa = high >> 11;
    let rest = high & 0x7ff;
    if rest > 0x400 || (rest == 0x400 && (sticky || mantissa & 1 == 1)) {
        mantissa += 1;
    }
    // 5^k = mantissa * 2^(bits - 53); times 2^k. (A mantissa of 2^53 after rounding is exact.)
    let scale = f64::from_bits(u64::from(1023 + bits - 53 + k) << 52);
    mantissa as f64 * scale
}

/// What `{}` writes for `f`: [`display`]'s text in the `sw` module, `f` itself in every other
/// build (where `Display` is linked anyway: the `ui` module's code stays as it was).
#[cfg(all(feature = "sw", not(feature = "ui")))]
pub(crate) fn f64_text(f: f64) -> String {
    display(f)
}
/// What `{}` writes for `f`: [`display`]'s text in the `sw` module, `f` itself in every other
/// build (where `Display` is linked anyway: the `ui` module's code stays as it was).
#[cfg(not(all(feature = "sw", not(feature = "ui"))))]
pub(crate) fn f64_text(f: f64) -> f64 {
    f
}

/// `format!("{f}")` for any `f64`, from serde_json's shortest digits (its writer's, already
/// linked), laid out as `Display` lays them out (no exponent), so that `Display`'s own code
/// (~8 KB gzip with its Grisu and Dragon tables) is not linked into the `sw` module. The two
/// differ on one thing: when two shortest digit strings are equally near (`…797.25` has
/// `…797.2` and `…797.3`), serde_json's writer takes the even one and `Display` the larger.
pub fn display(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    let a = f.abs();
    if a.is_infinite() {
        return format!("{sign}inf");
    }
    // Exact below 2^53: the integer's digits.
    if a < 9_007_199_254_740_992.0 && a.fract() == 0.0 {
        return format!("{sign}{}", a as u64);
    }
    // serde_json's text: `d.ddde±x` or a plain decimal, as digits `d` and a power `p`: d × 10^p.
    let text = Number::from_f64(a)
        .map(|n| n.to_string())
        .unwrap_or_default();
    let (mantissa, exp) = match text.split_once(['e', 'E']) {
        Some((m, e)) => (m, e.trim_start_matches('+').parse::<i32>().unwrap_or(0)),
        None => (text.as_str(), 0),
    };
    let (int, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let frac = frac.trim_end_matches('0');
    let mut d: u64 = format!("{int}{frac}").parse().unwrap_or(0);
    let mut p = exp - frac.len() as i32;
    if (-25..=-1).contains(&p) && is_half_above(a, d, p.unsigned_abs()) {
        d += 1;
    }
    while d > 0 && d.is_multiple_of(10) {
        d /= 10;
        p += 1;
    }
    let digits = d.to_string();
    let n = digits.len() as i32;
    let point = n + p;
    let text = if point <= 0 {
        format!("0.{}{digits}", "0".repeat(point.unsigned_abs() as usize))
    } else if point < n {
        let (a, b) = digits.split_at(point as usize);
        format!("{a}.{b}")
    } else {
        format!("{digits}{}", "0".repeat((point - n) as usize))
    };
    format!("{sign}{text}")
}

/// Is `a` exactly (d + ½) × 10^-k? (a = m × 2^e: m × 5^k × 2^(e+1+k) = 2d + 1.)
fn is_half_above(a: f64, d: u64, k: u32) -> bool {
    let bits = a.to_bits();
    let (m, e) = match (bits >> 52) as i32 {
        0 => (bits, -1074),
        x => (bits & ((1 << 52) - 1) | 1 << 52, x - 1075),
    };
    let Some(left) = u128::from(m).checked_mul(5u128.pow(k)) else {
        return false;
    };
    let odd = 2 * u128::from(d) + 1;
    let s = e + 1 + k as i32;
    match u32::try_from(-s) {
        // s > 0: the left side is even.
        Err(_) => false,
        Ok(0) => left == odd,
        Ok(t) if t < 70 => Some(left) == odd.checked_mul(1 << t),
        Ok(_) => false,
    }
}
