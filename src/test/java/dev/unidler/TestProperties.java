package dev.unidler;

import java.util.Map;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * {@link UnidlerProperties} bound the way Spring binds them, for tests without a context.
 */
public final class TestProperties {

	private TestProperties() {
	}

	public static UnidlerProperties defaults() {
		return with(Map.of());
	}

	public static UnidlerProperties with(Map<String, String> properties) {
		return new Binder(new MapConfigurationPropertySource(properties)).bindOrCreate("unidler",
				UnidlerProperties.class);
	}

}
