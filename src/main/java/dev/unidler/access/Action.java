package dev.unidler.access;

import java.util.Locale;
import java.util.Optional;

/**
 * What a caller may ask of an app. Named in token files in lower case.
 */
public enum Action {

	/** Wake an idled app. */
	WAKE,

	/** Put an app to sleep. */
	IDLE,

	/** Replace an app's pods. */
	RESTART;

	/** The action a file names, in any case. */
	static Optional<Action> named(String name) {
		for (Action action : values()) {
			if (action.name().equalsIgnoreCase(name.strip())) {
				return Optional.of(action);
			}
		}
		return Optional.empty();
	}

	/** How files and answers name it. */
	String lowerCase() {
		return name().toLowerCase(Locale.ROOT);
	}

}
