package dev.unidler.operation;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of operation that change an app, as claims and Leases record them and as
 * people read them.
 */
public enum OperationKind {

	WAKE("woken"), IDLE("idled"), RESTART("restarted");

	private final String done;

	OperationKind(String done) {
		this.done = done;
	}

	/** Its name in Leases and logs: {@code wake}, {@code idle}, {@code restart}. */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/** With its article, for a sentence: {@code a wake}, {@code an idle}. */
	public String withArticle() {
		return ((this == IDLE) ? "an " : "a ") + id();
	}

	/** What the app is being: {@code woken}, {@code idled}, {@code restarted}. */
	public String done() {
		return this.done;
	}

	/** The kind with this {@link #id()}, if any. */
	public static Optional<OperationKind> of(String id) {
		return Arrays.stream(values()).filter((kind) -> kind.id().equals(id)).findFirst();
	}

}
