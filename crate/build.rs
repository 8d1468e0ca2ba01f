//! Copies crate/data's catalogues into OUT_DIR without their `#` comment lines, for
//! `catalogue::data!` to embed: the comments document each file (its source, its columns) for
//! people; the wasm modules need only the rows (~1.8 KB gzip of the service worker's wasm).
//! For the service worker's module alone (the `sw` feature without `ui`, built for wasm32),
//! the columns its exports never read are emptied too (src/catalogue/projection.rs: ~1.1 KB
//! gzip).

use std::{env, error::Error, fs, path::Path};

#[path = "src/catalogue/projection.rs"]
mod projection;

fn main() -> Result<(), Box<dyn Error>> {
    let out = Path::new(&env::var("OUT_DIR")?).join("data");
    fs::create_dir_all(&out)?;
    println!("cargo::rerun-if-changed=data");
    println!("cargo::rerun-if-changed=src/catalogue/projection.rs");
    // The service worker's module (`sw` without `ui`, any target: the JSON reader's predicate)
    // decodes no SAML message: `liveFoldFields` hands an exchange that mentions SAML to the
    // full module (the ui module, built with both features) instead (src/wasm/live.rs,
    // src/exchange/saml.rs `mentions_saml`, src/saml/marker.rs).
    println!("cargo::rustc-check-cfg=cfg(saml_deferred)");
    if env::var_os("CARGO_FEATURE_SW").is_some() && env::var_os("CARGO_FEATURE_UI").is_none() {
        println!("cargo::rustc-cfg=saml_deferred");
    }
    // The shipped module only: a native build with `--features sw` (a test run, a harness)
    // keeps the full files its tests read.
    let sw_only = env::var_os("CARGO_FEATURE_SW").is_some()
        && env::var_os("CARGO_FEATURE_UI").is_none()
        && env::var("CARGO_CFG_TARGET_ARCH").is_ok_and(|a| a == "wasm32");
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
        let Some(name) = path.file_name() else {
            continue;
        };
        let unread = match name.to_str() {
            Some(name) if sw_only => projection::unread(name),
            _ => &[],
        };
        let rows = projection::project(&rows, unread).unwrap_or(rows);
        fs::write(out.join(name), rows)?;
    }
    Ok(())
}
