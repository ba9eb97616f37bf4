package dev.unidler.access;

/** TEMPORARY contract stand-in until the access layer lands. */
public enum Operation {

	WAKE, IDLE, RESTART

}
