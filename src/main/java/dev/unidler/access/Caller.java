package dev.unidler.access;

/** TEMPORARY contract stand-in until the access layer lands. */
public final class Caller {

	public String name() {
		return "stand-in";
	}

	public boolean may(Operation operation, AppRef app) {
		return false;
	}

}
