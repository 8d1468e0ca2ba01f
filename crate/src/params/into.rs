//! What [`IntoParam`] takes: each type a parameter is set from becomes its [`Param`] straight
//! away, not through the JSON value `Param::of` read before (a text was a `Value::String`
//! first, a number a `serde_json::Number` read back: docs/performance-log.md, "liveFold, tenth
//! pass"). Anything else that is JSON (arrays, objects, a `Value`) still goes through the value.

use serde_json::{Map, Value};

use super::{IntoParam, Param};

impl IntoParam for &str {
    fn into_param(self) -> Option<Param> {
        Some(Param::Text(self.into()))
    }
}

impl IntoParam for String {
    fn into_param(self) -> Option<Param> {
        Some(Param::Text(self.into_boxed_str()))
    }
}

impl IntoParam for &String {
    fn into_param(self) -> Option<Param> {
        self.as_str().into_param()
    }
}

impl IntoParam for std::borrow::Cow<'_, str> {
    fn into_param(self) -> Option<Param> {
        self.into_owned().into_param()
    }
}

impl IntoParam for bool {
    fn into_param(self) -> Option<Param> {
        Some(Param::Flag(self))
    }
}

macro_rules! int_params {
    ($($t:ty),*) => {$(
        impl IntoParam for $t {
            fn into_param(self) -> Option<Param> {
                Some(Param::Int(i64::from(self)))
            }
        }
    )*};
}
int_params!(i8, i16, i32, i64, u8, u16, u32);

impl IntoParam for u64 {
    /// Past `i64::MAX` a `Big`, as serde_json's number read it.
    fn into_param(self) -> Option<Param> {
        Some(i64::try_from(self).map_or(Param::Big(self), Param::Int))
    }
}

impl IntoParam for usize {
    fn into_param(self) -> Option<Param> {
        (self as u64).into_param()
    }
}

impl IntoParam for isize {
    fn into_param(self) -> Option<Param> {
        (self as i64).into_param()
    }
}

impl IntoParam for f64 {
    /// JSON has no NaN or infinity: such a value was `null`, unset.
    fn into_param(self) -> Option<Param> {
        self.is_finite().then_some(Param::Float(self))
    }
}

impl IntoParam for f32 {
    fn into_param(self) -> Option<Param> {
        f64::from(self).into_param()
    }
}

impl<T: IntoParam> IntoParam for Option<T> {
    fn into_param(self) -> Option<Param> {
        self?.into_param()
    }
}

impl IntoParam for Value {
    fn into_param(self) -> Option<Param> {
        Param::of(self)
    }
}

impl<T: Into<Value>> IntoParam for Vec<T> {
    fn into_param(self) -> Option<Param> {
        Param::of(self.into())
    }
}

impl<T: Clone + Into<Value>> IntoParam for &[T] {
    fn into_param(self) -> Option<Param> {
        Param::of(self.into())
    }
}

impl IntoParam for Map<String, Value> {
    fn into_param(self) -> Option<Param> {
        Param::of(Value::Object(self))
    }
}
