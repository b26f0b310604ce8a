//! Downloads 1 GiB from a loopback server through the generated client's `send_streaming()`
//! (`download_file(..).send_streaming()` of the streaming feature client), beside a hand-written reqwest
//! `bytes_stream()` loop over the same response, and reports the peak heap of each: streaming keeps memory flat,
//! whatever the size. For contrast, `send()` of a smaller body (64 MiB), which holds the whole body, is measured
//! too. Reports median times, the client/hand-written time ratio and each peak heap.
//!
//! `cargo bench -p benchmarks --bench download` (`BENCH_BYTES`, `BENCH_RUNS` to change the size and runs).

use benchmarks::{measure, median, ms};

use futures::StreamExt;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[global_allocator]
static GLOBAL: benchmarks::Counting = benchmarks::Counting;

const BUFFERED_BYTES: u64 = 64 << 20;

#[tokio::main]
async fn main() {
    let bytes: u64 = std::env::var("BENCH_BYTES").ok().and_then(|v| v.parse().ok()).unwrap_or(1 << 30);
    let runs: usize = std::env::var("BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
    let base = serve().await;
    println!("{} MiB from {base}, {runs} runs each (alternating)", bytes >> 20);

    let client = feature_streaming::Client::builder().base_url(&base).token("bench").build().expect("client builds");
    let http = reqwest::Client::new();
    let mut streamed = Vec::new();
    let mut hand = Vec::new();
    let mut streamed_peak = 0;
    let mut hand_peak = 0;
    for _ in 0..runs {
        let (elapsed, peak, count) = measure(through_client(&client, bytes)).await;
        assert_eq!(count, bytes);
        streamed.push(elapsed);
        streamed_peak = streamed_peak.max(peak);
        let (elapsed, peak, count) = measure(hand_written(&http, &base, bytes)).await;
        assert_eq!(count, bytes);
        hand.push(elapsed);
        hand_peak = hand_peak.max(peak);
    }
    let (_, buffered_peak, count) = measure(buffered(&client, BUFFERED_BYTES)).await;
    assert_eq!(count, BUFFERED_BYTES);

    let streamed = median(&mut streamed);
    let hand = median(&mut hand);
    println!("send_streaming()        {:>9.1} ms   peak heap {:>7.2} MiB", ms(streamed), mib(streamed_peak));
    println!("hand-written stream     {:>9.1} ms   peak heap {:>7.2} MiB", ms(hand), mib(hand_peak));
    println!(
        "send() of {} MiB         peak heap {:>7.2} MiB (holds the whole body)",
        BUFFERED_BYTES >> 20,
        mib(buffered_peak)
    );
    println!("ratio time client/hand-written: {:.3}", streamed.as_secs_f64() / hand.as_secs_f64());
    println!("ratio peak heap client/hand-written: {:.3}", streamed_peak as f64 / hand_peak.max(1) as f64);
    println!("peak heap as a share of the body: {:.5}", streamed_peak as f64 / bytes as f64);
}

async fn through_client(client: &feature_streaming::Client, bytes: u64) -> u64 {
    let mut stream = client.download_file(bytes.to_string()).send_streaming().await.expect("download starts");
    let mut count = 0;
    while let Some(chunk) = stream.next().await {
        count += chunk.expect("chunk arrives").len() as u64;
    }
    count
}

async fn hand_written(http: &reqwest::Client, base: &str, bytes: u64) -> u64 {
    let response =
        http.get(format!("{base}/files/{bytes}/content")).bearer_auth("bench").send().await.expect("download starts");
    assert!(response.status().is_success());
    let mut stream = response.bytes_stream();
    let mut count = 0;
    while let Some(chunk) = stream.next().await {
        count += chunk.expect("chunk arrives").len() as u64;
    }
    count
}

async fn buffered(client: &feature_streaming::Client, bytes: u64) -> u64 {
    client.download_file(bytes.to_string()).send().await.expect("download").len() as u64
}

/// A minimal HTTP/1.1 server answering `/files/N/content` with N bytes, written 64 KiB at a time from one buffer.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        let block = vec![0x5au8; 64 << 10];
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { continue };
            let block = block.clone();
            tokio::spawn(async move {
                let mut buffer = Vec::with_capacity(4096);
                let mut chunk = [0u8; 4096];
                loop {
                    let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") else {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                        continue;
                    };
                    let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                    buffer.drain(..end + 4);
                    let size: u64 = head.split('/').nth(2).and_then(|n| n.parse().ok()).unwrap_or(0);
                    let response = format!(
                        "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\ncontent-length: {size}\r\n\r\n"
                    );
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                    let mut left = size;
                    while left > 0 {
                        let n = left.min(block.len() as u64) as usize;
                        if socket.write_all(&block[..n]).await.is_err() {
                            return;
                        }
                        left -= n as u64;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1 << 20) as f64
}
