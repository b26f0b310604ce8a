//! Decoding speed of a generated struct, whose `Deserialize` goes through the runtime's `object` module, beside a
//! twin with the same fields, types and attributes whose `Deserialize` is serde's derive: a page of 200 DigitalOcean
//! images, decoded from bytes many times, alternating runs. Prints medians and their ratio (generated / derive).
//!
//! `cargo bench -p benchmarks --bench decode` (`BENCH_RUNS`, `BENCH_PAGES` to change the size).

use std::hint::black_box;
use std::time::{Duration, Instant};

use benchmarks::{median, ms};
use digitalocean_client::types::{Image, ImageDistribution, ImageRegion, ImageStatus, ImageType};

/// `types::Image` with serde's derive, attribute for attribute.
#[allow(dead_code)] // Only decoded: the benchmark measures reading.
#[derive(serde::Deserialize)]
struct DerivedImage {
    #[serde(default)]
    id: Option<i64>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default, rename = "type")]
    type_: Option<ImageType>,
    #[serde(default)]
    distribution: Option<ImageDistribution>,
    #[serde(default, with = "client_runtime::codec::double_option")]
    slug: Option<Option<String>>,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default)]
    regions: Option<Vec<ImageRegion>>,
    #[serde(default)]
    created_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(default)]
    min_disk_size: Option<i64>,
    #[serde(default)]
    size_gigabytes: Option<f64>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default, with = "client_runtime::codec::double_option")]
    tags: Option<Option<Vec<String>>>,
    #[serde(default)]
    status: Option<ImageStatus>,
    #[serde(default)]
    error_message: Option<String>,
}

fn image(i: usize) -> serde_json::Value {
    serde_json::json!({
        "id": 7_555_620 + i,
        "name": format!("image-{i}"),
        "type": "snapshot",
        "distribution": "Ubuntu",
        "slug": null,
        "public": false,
        "regions": ["nyc1", "nyc3", "ams3"],
        "created_at": "2024-05-14T17:52:31Z",
        "min_disk_size": 25,
        "size_gigabytes": 2.34,
        "description": "An image for benchmarking the client",
        "tags": ["bench", "loopback"],
        "status": "available",
        "error_message": ""
    })
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn time<T: for<'de> serde::Deserialize<'de>>(page: &[u8], pages: usize) -> Duration {
    let start = Instant::now();
    for _ in 0..pages {
        let images: Vec<T> = serde_json::from_slice(black_box(page)).expect("decodes");
        black_box(images);
    }
    start.elapsed()
}

fn main() {
    let runs = env("BENCH_RUNS", 7);
    let pages = env("BENCH_PAGES", 500);
    let page = serde_json::to_vec(&(0..200).map(image).collect::<Vec<_>>()).expect("serializes");
    // The two must read the same page to the same values.
    let generated: Vec<Image> = serde_json::from_slice(&page).expect("decodes");
    assert_eq!(generated.len(), 200);
    assert_eq!(generated[199].name.as_deref(), Some("image-199"));
    assert_eq!(generated[0].slug, Some(None));
    let (mut ours, mut derived) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        ours.push(time::<Image>(&page, pages));
        derived.push(time::<DerivedImage>(&page, pages));
    }
    let (ours, derived) = (median(&mut ours), median(&mut derived));
    println!("decoding {pages} pages of 200 images ({} bytes a page), medians of {runs} alternating runs:", page.len());
    println!("| | time |\n|---|---|");
    println!("| generated (`rt::object`) | {:.1} ms |", ms(ours));
    println!("| serde derive | {:.1} ms |", ms(derived));
    println!("| **ratio** | **{:.2}** |", ours.as_secs_f64() / derived.as_secs_f64());
}
