package dev.unidler.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Samples the thread count of the unidler every 100 ms while a scenario runs, and keeps
 * the peak: threads that a wake or a subscriber starts and ends again would be missed by
 * one reading at the end.
 */
final class ThreadSampler implements AutoCloseable {

	private final AtomicInteger peak = new AtomicInteger();

	private final Thread thread;

	private volatile boolean running = true;

	private ThreadSampler(UnidlerProcess process) {
		this.peak.set(process.threads());
		this.thread = Thread.ofPlatform().daemon().name("thread-sampler").start(() -> {
			while (this.running) {
				try {
					this.peak.accumulateAndGet(process.threads(), Math::max);
					Thread.sleep(100);
				}
				catch (InterruptedException | RuntimeException ex) {
					return;
				}
			}
		});
	}

	static ThreadSampler start(UnidlerProcess process) {
		return new ThreadSampler(process);
	}

	int peak() {
		return this.peak.get();
	}

	@Override
	public void close() throws InterruptedException {
		this.running = false;
		this.thread.interrupt();
		this.thread.join(1_000);
	}

}
