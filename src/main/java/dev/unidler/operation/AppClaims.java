package dev.unidler.operation;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.stereotype.Component;

/**
 * At most one operation of any kind changes an app at a time in this instance. An
 * operation claims the app (its namespace and workload) before its first write and
 * releases it when it ends; another kind of operation either waits for the release (a
 * wake, which must not fail a person waiting on the page) or is refused (a restart, whose
 * caller can try again).
 */
@Component
public final class AppClaims {

	private final Map<String, Claim> claims = new ConcurrentHashMap<>();

	/**
	 * Claims an app if nobody holds it.
	 * @param app the app, {@code namespace/name}
	 * @param by what claims it
	 * @return the claim, or empty when another operation holds the app
	 */
	public Optional<Claim> tryClaim(String app, OperationKind by) {
		Claim claim = new Claim(app, by);
		Claim held = this.claims.putIfAbsent(app, claim);
		return (held == null) ? Optional.of(claim) : Optional.empty();
	}

	/**
	 * Claims an app as soon as it is free. Bounded by the caller's deadline.
	 * @param app the app, {@code namespace/name}
	 * @param by what claims it
	 * @return the claim, once had
	 */
	public Mono<Claim> claim(String app, OperationKind by) {
		return Mono.defer(() -> {
			Optional<Claim> claim = tryClaim(app, by);
			if (claim.isPresent()) {
				return Mono.just(claim.get());
			}
			Claim held = this.claims.get(app);
			Mono<Void> released = (held != null) ? held.released.asMono() : Mono.empty();
			return released.then(Mono.defer(() -> claim(app, by)));
		});
	}

	/** What holds an app now, if anything. */
	public Optional<OperationKind> holder(String app) {
		return Optional.ofNullable(this.claims.get(app)).map(Claim::by);
	}

	/** One operation's hold on an app. */
	public final class Claim {

		private final String app;

		private final OperationKind by;

		private final Sinks.Empty<Void> released = Sinks.empty();

		private Claim(String app, OperationKind by) {
			this.app = app;
			this.by = by;
		}

		/** What holds the app. */
		public OperationKind by() {
			return this.by;
		}

		/** Lets the next operation have the app; later calls do nothing. */
		public void release() {
			if (AppClaims.this.claims.remove(this.app, this)) {
				this.released.tryEmitEmpty();
			}
		}

	}

}
