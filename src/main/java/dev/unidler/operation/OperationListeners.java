package dev.unidler.operation;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.stereotype.Component;

/**
 * Tells every {@link OperationListener} of each operation's start and events. Pipelines
 * wrap their run with {@link #observe}, so listeners see exactly the events callers see,
 * in order, and need no registry of their own.
 */
@Component
public final class OperationListeners {

	private static final Logger logger = LoggerFactory.getLogger(OperationListeners.class);

	private final ObjectProvider<OperationListener> listeners;

	private volatile @Nullable List<OperationListener> resolved;

	public OperationListeners(ObjectProvider<OperationListener> listeners) {
		this.listeners = listeners;
	}

	/** No listeners: for tests that wire pipelines by hand. */
	public static OperationListeners none() {
		return new OperationListeners(new StaticListableBeanFactory().getBeanProvider(OperationListener.class));
	}

	/**
	 * The run, telling the listeners of it as it goes.
	 * @param subject what the run is about, read at each event (a wake learns its
	 * workload on the way)
	 * @param run the run's events, ending with the terminal one
	 * @return the same events
	 */
	public Flux<OperationEvent> observe(Supplier<OperationSubject> subject, Flux<OperationEvent> run) {
		return run.doFirst(() -> tell(subject, OperationListener::started))
			.doOnNext((event) -> tell(subject, (listener, now) -> listener.event(now, event)))
			.doOnCancel(() -> tell(subject, OperationListener::abandoned));
	}

	/** Tells every listener, with the subject as known now, read once for them all. */
	private void tell(Supplier<OperationSubject> subject, BiConsumer<OperationListener, OperationSubject> call) {
		List<OperationListener> all = listeners();
		if (all.isEmpty()) {
			return;
		}
		OperationSubject now = subject.get();
		for (OperationListener listener : all) {
			try {
				call.accept(listener, now);
			}
			catch (Throwable ex) {
				// An Error too (a listener that blocks an event loop under BlockHound
				// throws one): only what the JVM cannot survive goes through.
				Exceptions.throwIfJvmFatal(ex);
				logger.warn("{} failed; the operation goes on", listener.getClass().getSimpleName(), ex);
			}
		}
	}

	private List<OperationListener> listeners() {
		List<OperationListener> known = this.resolved;
		if (known == null) {
			known = this.listeners.orderedStream().toList();
			this.resolved = known;
		}
		return known;
	}

}
