//! Copies crate/data's catalogues into OUT_DIR without their `#` comment lines, for
//! `catalogue::data!` to embed: the comments document each file (its source, its columns) for
//! people; the wasm modules need only the rows (~1.8 KB gzip of the service worker's wasm).

use std::{env, error::Error, fs, path::Path};

fn main() -> Result<(), Box<dyn Error>> {
    let out = Path::new(&env::var("OUT_DIR")?).join("data");
    fs::create_dir_all(&out)?;
    println!("cargo::rerun-if-changed=data");
    for entry in fs::read_dir("data")? {
        let path = entry?.path();
        if path.extension().is_none_or(|e| e != "tsv") {
            continue;
        }
        let text = fs::read_to_string(&path)?;
        let rows: String = text
            .split_inclusive('\n')
            .filter(|line| !line.starts_with('#'))
            .collect();
        if let Some(name) = path.file_name() {
            fs::write(out.join(name), rows)?;
        }
    }
    Ok(())
}
