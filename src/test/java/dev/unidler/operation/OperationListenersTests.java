package dev.unidler.operation;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Listeners hear of an operation exactly as its callers see it: its start, every event in
 * order, and an abandonment; and nothing a listener does can break the operation.
 */
class OperationListenersTests {

	private static final OperationSubject SUBJECT = new OperationSubject("op-1", OperationKind.IDLE, "app.example",
			null, "ci", null);

	@Test
	void aListenerHearsTheStartAndEveryEventInOrder() {
		Recording recording = new Recording();
		OperationListeners listeners = listeners(recording);
		Flux<OperationEvent> run = Flux.just(event(1, OperationEvent.Kind.PROGRESS),
				event(2, OperationEvent.Kind.READY));

		StepVerifier.create(listeners.observe(() -> SUBJECT, run)).expectNextCount(2).verifyComplete();

		assertThat(recording.heard).containsExactly("started op-1", "event 1 PROGRESS", "event 2 READY");
	}

	@Test
	void anOperationStoppedBeforeItsEndIsHeardAsAbandoned() {
		Recording recording = new Recording();
		Flux<OperationEvent> run = Flux.concat(Flux.just(event(1, OperationEvent.Kind.PROGRESS)), Flux.never());

		StepVerifier.create(listeners(recording).observe(() -> SUBJECT, run))
			.expectNextCount(1)
			.thenCancel()
			.verify(Duration.ofSeconds(5));

		assertThat(recording.heard).containsExactly("started op-1", "event 1 PROGRESS", "abandoned op-1");
	}

	@Test
	void aFailingListenerNeitherBreaksTheOperationNorSilencesTheOthersEvenWithAnError() {
		Recording recording = new Recording();
		OperationListener failing = new OperationListener() {
			@Override
			public void event(OperationSubject subject, OperationEvent event) {
				throw new AssertionError("broken listener");
			}
		};
		Flux<OperationEvent> run = Flux.just(event(1, OperationEvent.Kind.PROGRESS),
				event(2, OperationEvent.Kind.READY));

		StepVerifier.create(listeners(failing, recording).observe(() -> SUBJECT, run))
			.expectNextCount(2)
			.verifyComplete();

		assertThat(recording.heard).containsExactly("started op-1", "event 1 PROGRESS", "event 2 READY");
	}

	private static OperationListeners listeners(OperationListener... listeners) {
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		for (int i = 0; i < listeners.length; i++) {
			beans.addBean("listener" + i, listeners[i]);
		}
		return new OperationListeners(beans.getBeanProvider(OperationListener.class));
	}

	private static OperationEvent event(long sequence, OperationEvent.Kind kind) {
		return new OperationEvent(sequence, kind, "locate",
				(kind == OperationEvent.Kind.READY) ? OperationEvent.StepState.DONE : OperationEvent.StepState.RUNNING,
				"message", null, null, 10);
	}

	private static final class Recording implements OperationListener {

		private final List<String> heard = new CopyOnWriteArrayList<>();

		@Override
		public void started(OperationSubject subject) {
			this.heard.add("started " + subject.id());
		}

		@Override
		public void event(OperationSubject subject, OperationEvent event) {
			this.heard.add("event " + event.sequence() + " " + event.kind());
		}

		@Override
		public void abandoned(OperationSubject subject) {
			this.heard.add("abandoned " + subject.id());
		}

	}

}
