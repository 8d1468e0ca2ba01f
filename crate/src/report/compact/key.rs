//! A map's key in the compact writer (`report/compact.rs`): serde_json writes a key that is
//! a string as itself, a bool or number quoted, and refuses anything else.

use serde::ser::{self, Serialize};

use super::{Error, Result, Writer};

/// A map's key, as serde_json writes one: a string as itself; a bool or number quoted (a
/// float only when finite); anything else fails.
pub(super) struct Key<'a>(pub(super) &'a mut Writer);

impl Key<'_> {
    /// `v` written as a value, then quoted.
    fn quoted(self, v: impl FnOnce(&mut Writer) -> Result) -> Result {
        self.0 .0.push(b'"');
        v(self.0)?;
        self.0 .0.push(b'"');
        Ok(())
    }
}

impl ser::Serializer for Key<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result {
        self.0.string(v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result {
        self.0.string(v.encode_utf8(&mut [0u8; 4]));
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> Result {
        self.0.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result {
        value.serialize(self)
    }
    fn serialize_bool(self, v: bool) -> Result {
        self.quoted(|w| ser::Serializer::serialize_bool(w, v))
    }
    fn serialize_i8(self, v: i8) -> Result {
        self.quoted(|w| ser::Serializer::serialize_i8(w, v))
    }
    fn serialize_i16(self, v: i16) -> Result {
        self.quoted(|w| ser::Serializer::serialize_i16(w, v))
    }
    fn serialize_i32(self, v: i32) -> Result {
        self.quoted(|w| ser::Serializer::serialize_i32(w, v))
    }
    fn serialize_i64(self, v: i64) -> Result {
        self.quoted(|w| ser::Serializer::serialize_i64(w, v))
    }
    fn serialize_i128(self, v: i128) -> Result {
        self.quoted(|w| ser::Serializer::serialize_i128(w, v))
    }
    fn serialize_u8(self, v: u8) -> Result {
        self.quoted(|w| ser::Serializer::serialize_u8(w, v))
    }
    fn serialize_u16(self, v: u16) -> Result {
        self.quoted(|w| ser::Serializer::serialize_u16(w, v))
    }
    fn serialize_u32(self, v: u32) -> Result {
        self.quoted(|w| ser::Serializer::serialize_u32(w, v))
    }
    fn serialize_u64(self, v: u64) -> Result {
        self.quoted(|w| ser::Serializer::serialize_u64(w, v))
    }
    fn serialize_u128(self, v: u128) -> Result {
        self.quoted(|w| ser::Serializer::serialize_u128(w, v))
    }
    fn serialize_f32(self, v: f32) -> Result {
        if !v.is_finite() {
            return Err(Error);
        }
        self.quoted(|w| ser::Serializer::serialize_f32(w, v))
    }
    fn serialize_f64(self, v: f64) -> Result {
        if !v.is_finite() {
            return Err(Error);
        }
        self.quoted(|w| ser::Serializer::serialize_f64(w, v))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result {
        Err(Error)
    }
    fn serialize_none(self) -> Result {
        Err(Error)
    }
    fn serialize_unit(self) -> Result {
        Err(Error)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result {
        Err(Error)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result {
        Err(Error)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq> {
        Err(Error)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple> {
        Err(Error)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct> {
        Err(Error)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant> {
        Err(Error)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap> {
        Err(Error)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct> {
        Err(Error)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant> {
        Err(Error)
    }
}
