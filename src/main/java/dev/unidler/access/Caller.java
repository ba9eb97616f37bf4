package dev.unidler.access;

import java.util.List;
import java.util.Set;

/**
 * An authenticated caller of the admin API: a token's name and what it may do.
 */
public final class Caller {

	private final String name;

	private final Set<Action> actions;

	private final List<Grant> apps;

	Caller(String name, Set<Action> actions, List<Grant> apps) {
		this.name = name;
		this.actions = Set.copyOf(actions);
		this.apps = List.copyOf(apps);
	}

	/** The token's name, for logs and Kubernetes Events; never the token. */
	public String name() {
		return this.name;
	}

	/** Whether the token allows this action on this app. */
	public boolean may(Action action, AppRef app) {
		return this.actions.contains(action) && this.apps.stream().anyMatch((grant) -> grant.covers(app));
	}

	/**
	 * The same rights under another name: one entry of a file that covers many people.
	 */
	Caller as(String name) {
		return new Caller(name, this.actions, this.apps);
	}

	@Override
	public String toString() {
		return this.name;
	}

}
