package dev.unidler.kubernetes;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.unidler.app.ClusterException;
import io.kubernetes.client.openapi.ApiException;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.Disposable;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

import static org.assertj.core.api.Assertions.assertThat;

class BlockingCallsTests {

	private final BlockingCalls calls = new BlockingCalls(Schedulers.newBoundedElastic(2, 10, "kubernetes-test"));

	@Test
	void runsTheCallOnItsOwnSchedulerEvenWhenAskedFromANonBlockingThread() {
		Mono<String> thread = Mono.defer(() -> this.calls.call("read", () -> Thread.currentThread().getName()))
			.subscribeOn(Schedulers.parallel());
		StepVerifier.create(thread)
			.assertNext((name) -> assertThat(name).startsWith("kubernetes-test"))
			.expectComplete()
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void refusesToBlockANonBlockingThread() throws InterruptedException {
		// Reactor's parallel threads are non-blocking, like Netty's event loops.
		StepVerifier.create(Mono.fromRunnable(BlockingCalls::requireBlockingAllowed).subscribeOn(Schedulers.parallel()))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("non-blocking thread"))
			.verify(Duration.ofSeconds(5));
		// Netty's event loops are named like this one.
		AtomicReference<Throwable> refused = new AtomicReference<>();
		Thread eventLoop = new Thread(() -> {
			try {
				BlockingCalls.requireBlockingAllowed();
			}
			catch (IllegalStateException ex) {
				refused.set(ex);
			}
		}, "reactor-http-epoll-1");
		eventLoop.start();
		eventLoop.join(5000);
		assertThat(refused.get()).hasMessageContaining("reactor-http-epoll-1");
	}

	@Test
	void blockHoundWatchesEveryTestForBlockingOnNonBlockingThreads() {
		// Installed for the whole test run: a blocking call on an event loop anywhere in
		// the
		// end-to-end tests fails them, as it does here.
		StepVerifier.create(Mono.fromCallable(() -> {
			Thread.sleep(1);
			return "slept";
		}).subscribeOn(Schedulers.parallel()))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(BlockingOperationError.class))
			.verify(Duration.ofSeconds(5));
	}

	@Test
	void apiErrorsBecomeClusterExceptionsAndOnlyTransientOnesAreRetried() {
		int[] attempts = new int[1];
		StepVerifier.create(this.calls.call("patch", () -> {
			attempts[0]++;
			throw new ApiException(422, "invalid");
		}))
			.expectErrorSatisfies((error) -> assertThat(error).isInstanceOf(ClusterException.class)
				.hasMessageContaining("patch failed: HTTP 422"))
			.verify(Duration.ofSeconds(5));
		assertThat(attempts[0]).isEqualTo(1);

		StepVerifier.create(this.calls.call("list", () -> {
			attempts[0]++;
			throw new ApiException(503, "busy");
		})).expectError(ClusterException.class).verify(Duration.ofSeconds(5));
		assertThat(attempts[0]).isEqualTo(1 + 3);
	}

	@Test
	void aCallCancelledWhileItRunsDropsNoError() throws InterruptedException {
		// A wake's deadline cancels the call it waits for; the call's thread is
		// interrupted and fails, and nobody is left to hear it. Reactor would log that
		// as an ERROR, "onErrorDropped".
		List<Throwable> dropped = new CopyOnWriteArrayList<>();
		Hooks.onErrorDropped(dropped::add);
		try {
			CountDownLatch running = new CountDownLatch(1);
			CountDownLatch interrupted = new CountDownLatch(1);
			Disposable call = this.calls.call("read", () -> {
				running.countDown();
				try {
					Thread.sleep(Duration.ofSeconds(30));
					return "never";
				}
				catch (InterruptedException ex) {
					interrupted.countDown();
					throw ex;
				}
			}).subscribe();
			assertThat(running.await(5, TimeUnit.SECONDS)).isTrue();
			call.dispose();
			assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
			// The call's thread returns from the failure after the latch.
			Thread.sleep(200);
			assertThat(dropped).isEmpty();
		}
		finally {
			Hooks.resetOnErrorDropped();
		}
	}

}
