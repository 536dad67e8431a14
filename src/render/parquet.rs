//! `auditrail export --format parquet`: the export rows of [`super::jsonl`] as an Apache
//! Parquet file (the `parquet` crate's column writer, uncompressed, no Arrow), buffered
//! column by column and written one row group of [`ROW_GROUP_ROWS`] rows at a time, so
//! memory stays bounded whatever the input's size. The schema version is the file's
//! key/value metadata `auditrail.schema_version` (docs/export.md).

use super::jsonl::{EventRow, FactRow, Map, RecordRow, Rows, SCHEMA_VERSION};
use parquet::column::writer::ColumnWriter;
use parquet::data_type::ByteArray;
use parquet::errors::ParquetError;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use std::io::Write;
use std::sync::Arc;

/// Rows per row group.
pub const ROW_GROUP_ROWS: usize = 16_384;

const RECORDS: &str = "message record {
  optional binary node (STRING);
  required int64 time (TIMESTAMP(MILLIS,true));
  required int64 serial;
  required binary type (STRING);
  required binary file (STRING);
  required int64 line;
  required group fields (MAP) { repeated group key_value { required binary key (STRING); required binary value (STRING); } }
  required group decoded (MAP) { repeated group key_value { required binary key (STRING); required binary value (STRING); } }
  required group enriched (MAP) { repeated group key_value { required binary key (STRING); required binary value (STRING); } }
}";

const EVENTS: &str = "message event {
  optional binary node (STRING);
  required int64 time (TIMESTAMP(MILLIS,true));
  required int64 serial;
  required int64 records;
  required group types (LIST) { repeated group list { required binary element (STRING); } }
  required binary file (STRING);
  required int64 line;
}";

const FACTS: &str = "message fact {
  required binary category (STRING);
  required binary kind (STRING);
  required binary result (STRING);
  required binary type (STRING);
  optional binary auid (STRING);
  optional binary uid (STRING);
  optional binary target (STRING);
  optional binary key (STRING);
  optional binary path (STRING);
  optional binary host (STRING);
  required int64 time (TIMESTAMP(MILLIS,true));
  required int64 serial;
  required binary file (STRING);
  required int64 line;
}";

/// One leaf column's buffered values and levels (levels only for nested or optional leaves).
#[derive(Default)]
struct Leaf {
    bytes: Vec<ByteArray>,
    ints: Vec<i64>,
    def: Vec<i16>,
    rep: Vec<i16>,
}

/// A Parquet writer of one kind of export row.
pub struct ParquetWriter<W: Write + Send> {
    file: SerializedFileWriter<W>,
    leaves: Vec<Leaf>,
    at: usize,
    buffered: usize,
    rows: u64,
}

impl<W: Write + Send> ParquetWriter<W> {
    /// Starts a file of `what` rows.
    pub fn new(out: W, what: Rows) -> Result<Self, ParquetError> {
        let schema = match what {
            Rows::Records => RECORDS,
            Rows::Events => EVENTS,
            Rows::Facts => FACTS,
        };
        let schema = Arc::new(parquet::schema::parser::parse_message_type(schema)?);
        let leaves = schema_leaves(&schema);
        let meta = vec![
            KeyValue::new(
                "auditrail.schema_version".to_string(),
                SCHEMA_VERSION.to_string(),
            ),
            KeyValue::new("auditrail.what".to_string(), what.name().to_string()),
        ];
        let props = WriterProperties::builder()
            .set_key_value_metadata(Some(meta))
            .set_created_by(format!("auditrail {}", env!("CARGO_PKG_VERSION")))
            .build();
        let file = SerializedFileWriter::new(out, schema, Arc::new(props))?;
        Ok(ParquetWriter {
            file,
            leaves: (0..leaves).map(|_| Leaf::default()).collect(),
            at: 0,
            buffered: 0,
            rows: 0,
        })
    }

    fn leaf(&mut self) -> &mut Leaf {
        let i = self.at;
        self.at += 1;
        &mut self.leaves[i]
    }

    fn text(&mut self, s: &str) {
        self.leaf().bytes.push(ByteArray::from(s));
    }

    fn opt_text(&mut self, s: Option<&str>) {
        let leaf = self.leaf();
        match s {
            Some(s) => {
                leaf.bytes.push(ByteArray::from(s));
                leaf.def.push(1);
            }
            None => leaf.def.push(0),
        }
    }

    fn int(&mut self, v: i64) {
        self.leaf().ints.push(v);
    }

    /// A required list or map of required leaves: one leaf per value of each entry.
    fn entries<'s>(&mut self, width: usize, entries: impl Iterator<Item = [&'s str; 2]>) {
        let first = self.at;
        self.at += width;
        let mut n = 0usize;
        for e in entries {
            for (j, v) in e.iter().take(width).enumerate() {
                let leaf = &mut self.leaves[first + j];
                leaf.bytes.push(ByteArray::from(*v));
                leaf.def.push(1);
                leaf.rep.push(i16::from(n > 0));
            }
            n += 1;
        }
        if n == 0 {
            for leaf in &mut self.leaves[first..first + width] {
                leaf.def.push(0);
                leaf.rep.push(0);
            }
        }
    }

    fn map(&mut self, m: &Map<'_>) {
        self.entries(2, m.0.iter().map(|(k, v)| [k.as_ref(), v.as_ref()]));
    }

    fn end_row(&mut self) -> Result<(), ParquetError> {
        debug_assert_eq!(self.at, self.leaves.len());
        self.at = 0;
        self.buffered += 1;
        self.rows = self.rows.saturating_add(1);
        if self.buffered >= ROW_GROUP_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    /// Adds one record row.
    pub fn record(&mut self, r: &RecordRow<'_>) -> Result<(), ParquetError> {
        self.opt_text(r.node.as_deref());
        self.int(r.time_ms);
        self.int(i64::from(r.serial));
        self.text(&r.rtype);
        self.text(&r.file);
        self.int(i64::try_from(r.line).unwrap_or(i64::MAX));
        self.map(&r.fields);
        self.map(&r.decoded);
        self.map(&r.enriched);
        self.end_row()
    }

    /// Adds one event row.
    pub fn event(&mut self, r: &EventRow<'_>) -> Result<(), ParquetError> {
        self.opt_text(r.node.as_deref());
        self.int(r.time_ms);
        self.int(i64::from(r.serial));
        self.int(i64::from(r.records));
        self.entries(1, r.types.iter().map(|t| [t.as_str(), ""]));
        self.text(&r.file);
        self.int(i64::try_from(r.line).unwrap_or(i64::MAX));
        self.end_row()
    }

    /// Adds one fact row.
    pub fn fact(&mut self, r: &FactRow<'_>) -> Result<(), ParquetError> {
        self.text(&r.category);
        self.text(&r.kind);
        self.text(&r.result);
        self.text(&r.rtype);
        for v in [&r.auid, &r.uid, &r.target, &r.key, &r.path, &r.host] {
            self.opt_text(v.as_deref());
        }
        self.int(r.time_ms);
        self.int(i64::from(r.serial));
        self.text(&r.file);
        self.int(i64::try_from(r.line).unwrap_or(i64::MAX));
        self.end_row()
    }

    /// Writes the buffered rows as one row group.
    fn flush(&mut self) -> Result<(), ParquetError> {
        if self.buffered == 0 {
            return Ok(());
        }
        let mut group = self.file.next_row_group()?;
        let mut leaves = self.leaves.iter_mut();
        while let Some(mut col) = group.next_column()? {
            let leaf = leaves
                .next()
                .ok_or_else(|| ParquetError::General("more columns than leaves".into()))?;
            let def = (!leaf.def.is_empty()).then_some(&leaf.def[..]);
            let rep = (!leaf.rep.is_empty()).then_some(&leaf.rep[..]);
            match col.untyped() {
                ColumnWriter::ByteArrayColumnWriter(w) => {
                    w.write_batch(&leaf.bytes, def, rep)?;
                }
                ColumnWriter::Int64ColumnWriter(w) => {
                    w.write_batch(&leaf.ints, def, rep)?;
                }
                _ => return Err(ParquetError::General("unexpected column type".into())),
            }
            col.close()?;
            *leaf = Leaf::default();
        }
        group.close()?;
        self.buffered = 0;
        Ok(())
    }

    /// Writes the last row group and the footer; gives back the writer and the rows written.
    pub fn finish(mut self) -> Result<(W, u64), ParquetError> {
        self.flush()?;
        let mut out = self.file.into_inner()?;
        out.flush()?;
        Ok((out, self.rows))
    }
}

fn schema_leaves(t: &parquet::schema::types::Type) -> usize {
    if t.is_primitive() {
        1
    } else {
        t.get_fields().iter().map(|f| schema_leaves(f)).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parquet::file::reader::{FileReader, SerializedFileReader};
    use parquet::record::{MapAccessor, RowAccessor};

    fn row(i: usize, fields: usize) -> RecordRow<'static> {
        RecordRow {
            node: i.is_multiple_of(2).then(|| format!("h{i}").into()),
            time: String::new(),
            time_ms: 1_790_000_000_000 + i as i64,
            serial: i as u32,
            rtype: "SYSCALL".into(),
            file: "a.log".into(),
            line: i as u64 + 1,
            fields: Map((0..fields)
                .map(|j| (format!("k{j}").into(), format!("v{i}.{j}").into()))
                .collect()),
            decoded: Map::default(),
            enriched: Map(vec![("UID".into(), "root".into())]),
        }
    }

    #[test]
    fn records_read_back_across_row_groups() {
        let n = ROW_GROUP_ROWS + 3;
        let mut w = ParquetWriter::new(Vec::new(), Rows::Records).unwrap();
        for i in 0..n {
            w.record(&row(i, i % 3)).unwrap();
        }
        let (bytes, rows) = w.finish().unwrap();
        assert_eq!(rows, n as u64);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&bytes).unwrap();
        let reader = SerializedFileReader::new(file).unwrap();
        let meta = reader.metadata();
        assert_eq!(meta.file_metadata().num_rows(), n as i64);
        assert_eq!(meta.num_row_groups(), 2);
        let kv = meta.file_metadata().key_value_metadata().unwrap();
        assert!(kv
            .iter()
            .any(|k| k.key == "auditrail.schema_version" && k.value.as_deref() == Some("1")));
        let got: Vec<_> = reader
            .get_row_iter(None)
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        assert_eq!(got.len(), n);
        let last = &got[n - 1];
        assert_eq!(last.get_long(2).unwrap(), (n - 1) as i64);
        assert_eq!(last.get_string(4).unwrap(), "a.log");
        let fields = last.get_map(6).unwrap();
        assert_eq!(fields.len(), (n - 1) % 3);
        let first = &got[2];
        assert_eq!(first.get_string(0).unwrap(), "h2");
        assert!(got[1].get_string(0).is_err(), "node of row 1 is null");
        let f = first.get_map(6).unwrap();
        assert_eq!(f.get_values().get_string(1).unwrap(), "v2.1");
        assert_eq!(first.get_map(8).unwrap().len(), 1);
    }
}
