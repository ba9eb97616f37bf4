package dev.unidler.access;

import java.util.Map;

import org.springframework.stereotype.Component;

/** TEMPORARY contract stand-in until the access layer lands. */
@Component
public final class OptIn {

	public boolean allows(Operation operation, AppRef app, Map<String, String> labels,
			Map<String, String> annotations) {
		return false;
	}

}
