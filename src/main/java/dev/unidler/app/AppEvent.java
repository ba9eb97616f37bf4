package dev.unidler.app;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * One Kubernetes Event about a workload: what {@code kubectl describe} shows under
 * Events. Values only; {@link AppEvents} records it.
 *
 * @param regarding the workload it is about
 * @param type {@code Normal} or {@code Warning}
 * @param reason why, in CamelCase ({@code Woken}, {@code WakeFailed}, …), at most 128
 * characters
 * @param action what the unidler did or tried ({@code Wake}, {@code Idle},
 * {@code Restart}), at most 128 characters
 * @param note the sentence people read; cut to {@link #NOTE_LIMIT} bytes, the API's limit
 */
public record AppEvent(Regarding regarding, Type type, String reason, String action, String note) {

	/** The API's limit on a note, in bytes of UTF-8. */
	public static final int NOTE_LIMIT = 1024;

	private static final int NAME_LIMIT = 128;

	public AppEvent {
		if (reason.isEmpty() || reason.length() > NAME_LIMIT || action.isEmpty() || action.length() > NAME_LIMIT) {
			throw new IllegalArgumentException("An Event needs a reason and an action of 1 to 128 characters");
		}
		note = cut(note);
	}

	/**
	 * The note as it fits the API: whole characters only, ending with an ellipsis when
	 * cut.
	 */
	private static String cut(String note) {
		if (note.getBytes(StandardCharsets.UTF_8).length <= NOTE_LIMIT) {
			return note;
		}
		String ellipsis = "…";
		int budget = NOTE_LIMIT - ellipsis.getBytes(StandardCharsets.UTF_8).length;
		StringBuilder kept = new StringBuilder();
		int bytes = 0;
		for (int i = 0; i < note.length();) {
			int codePoint = note.codePointAt(i);
			int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
			if (bytes + size > budget) {
				break;
			}
			kept.appendCodePoint(codePoint);
			bytes += size;
			i += Character.charCount(codePoint);
		}
		return kept.append(ellipsis).toString();
	}

	/** How {@code kubectl} shows an Event. */
	public enum Type {

		NORMAL("Normal"), WARNING("Warning");

		private final String value;

		Type(String value) {
			this.value = value;
		}

		/** {@code Normal} or {@code Warning}, as the API spells it. */
		public String value() {
			return this.value;
		}

	}

	/**
	 * The workload an Event is about.
	 *
	 * @param kind {@code Deployment} or {@code StatefulSet}
	 * @param namespace its namespace, where the Event is written
	 * @param name its name
	 * @param uid its uid when the caller knows it; {@code kubectl describe} finds Events
	 * by it, so a recorder fills it in when it is missing
	 */
	public record Regarding(String kind, String namespace, String name, @Nullable String uid) {

		/** A workload of {@code apps/v1} whose uid is not known here. */
		public static Regarding workload(String kind, String namespace, String name) {
			return new Regarding(kind, namespace, name, null);
		}

		@Override
		public String toString() {
			return this.kind + "/" + this.namespace + "/" + this.name;
		}

	}

}
