//! Streams 100,000 images in pages of 200 from a loopback server through the generated DigitalOcean client
//! (`list_images().per_page(200).items()`), beside a hand-written reqwest + serde loop that fetches and decodes the
//! same pages into the same types, and through the same client with a no-op middleware installed (the cost of the
//! middleware chain). Reports the median time of each, their ratios, and the peak heap of each.
//!
//! `cargo bench -p benchmarks --bench stream` (`BENCH_ITEMS`, `BENCH_RUNS` to change the size).

use std::sync::Arc;

use benchmarks::{measure, median, ms};

use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[global_allocator]
static GLOBAL: benchmarks::Counting = benchmarks::Counting;

const PER_PAGE: usize = 200;

#[tokio::main]
async fn main() {
    let items: usize = std::env::var("BENCH_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(100_000);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let pages = items.div_ceil(PER_PAGE);
    let base = serve(pages).await;
    println!("{items} images in {pages} pages of {PER_PAGE} from {base}, {runs} runs each (alternating)");

    let mut generated = Vec::new();
    let mut layered = Vec::new();
    let mut hand = Vec::new();
    let mut generated_peak = 0;
    let mut layered_peak = 0;
    let mut hand_peak = 0;
    // One untimed run of each warms the connection pool and the allocator.
    assert_eq!(through_client(&base, false).await, items);
    assert_eq!(through_client(&base, true).await, items);
    assert_eq!(hand_written(&base).await, items);
    for _ in 0..runs {
        let (elapsed, peak, count) = measure(through_client(&base, false)).await;
        assert_eq!(count, items);
        generated.push(elapsed);
        generated_peak = generated_peak.max(peak);
        let (elapsed, peak, count) = measure(through_client(&base, true)).await;
        assert_eq!(count, items);
        layered.push(elapsed);
        layered_peak = layered_peak.max(peak);
        let (elapsed, peak, count) = measure(hand_written(&base)).await;
        assert_eq!(count, items);
        hand.push(elapsed);
        hand_peak = hand_peak.max(peak);
    }
    let generated = median(&mut generated);
    let layered = median(&mut layered);
    let hand = median(&mut hand);
    println!("generated client             {:>8.1} ms   peak heap {:>6.1} MB", ms(generated), mb(generated_peak));
    println!("  with a no-op middleware    {:>8.1} ms   peak heap {:>6.1} MB", ms(layered), mb(layered_peak));
    println!("hand-written loop            {:>8.1} ms   peak heap {:>6.1} MB", ms(hand), mb(hand_peak));
    println!("ratio client/hand-written: {:.3}", generated.as_secs_f64() / hand.as_secs_f64());
    println!("ratio client with middleware/hand-written: {:.3}", layered.as_secs_f64() / hand.as_secs_f64());
}

/// A middleware that only passes each attempt on: what the chain itself costs.
struct PassThrough;

#[client_runtime::middleware::async_trait]
impl client_runtime::middleware::Middleware for PassThrough {
    async fn handle(
        &self,
        request: reqwest::Request,
        extensions: &mut client_runtime::middleware::Extensions,
        next: client_runtime::middleware::Next<'_>,
    ) -> client_runtime::reqwest_middleware::Result<reqwest::Response> {
        next.run(request, extensions).await
    }
}

async fn through_client(base: &str, middleware: bool) -> usize {
    let builder = digitalocean_client::Client::builder().base_url(base).token("bench");
    let builder = if middleware { builder.middleware(PassThrough) } else { builder };
    let client = builder.build().expect("client builds");
    let mut stream = client.list_images().per_page(PER_PAGE as i64).items();
    let mut count = 0;
    while let Some(item) = stream.next().await {
        let image = item.expect("item decodes");
        std::hint::black_box(&image);
        count += 1;
    }
    count
}

async fn hand_written(base: &str) -> usize {
    let http = reqwest::Client::new();
    let mut count = 0;
    let mut page = 1;
    loop {
        let url = format!("{base}/v2/images?per_page={PER_PAGE}&page={page}");
        let response = http.get(&url).bearer_auth("bench").send().await.expect("request");
        assert!(response.status().is_success());
        let bytes = response.bytes().await.expect("body");
        let body: digitalocean_client::types::ListImagesResponse = serde_json::from_slice(&bytes).expect("decodes");
        let more = body.links.as_ref().and_then(|l| l.pages.as_ref()).and_then(|p| p.next.as_ref()).is_some();
        for image in body.images {
            std::hint::black_box(&image);
            count += 1;
        }
        if !more {
            return count;
        }
        page += 1;
    }
}

/// A minimal HTTP/1.1 keep-alive server answering `/v2/images?...page=N` with page N of `pages`.
async fn serve(pages: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    let images: Vec<serde_json::Value> = (0..PER_PAGE).map(image).collect();
    let images = Arc::new(serde_json::to_string(&images).expect("serializes"));
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { continue };
            let images = Arc::clone(&images);
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = find_header_end(&buffer) else {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    buffer.drain(..end + 4);
                    let page: usize = head
                        .split(['?', '&', ' '])
                        .find_map(|part| part.strip_prefix("page="))
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(1);
                    let next = if page < pages {
                        format!(r#","next":"http://{address}/v2/images?page={}&per_page={PER_PAGE}""#, page + 1)
                    } else {
                        String::new()
                    };
                    let body = format!(
                        r#"{{"images":{images},"links":{{"pages":{{"first":"http://{address}/v2/images?page=1"{next}}}}},"meta":{{"total":{}}}}}"#,
                        pages * PER_PAGE
                    );
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

fn find_header_end(buffer: &[u8]) -> Option<usize> {
    buffer.windows(4).position(|w| w == b"\r\n\r\n")
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

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}
