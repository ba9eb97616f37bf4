package dev.unidler.access;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Reads the access files: plain YAML data (no tags, no objects), whose one top-level list
 * is what the file is for.
 */
final class YamlFiles {

	private YamlFiles() {
	}

	/**
	 * The top-level list of a file.
	 * @param file the file
	 * @param key the list's key
	 * @param expected what the list holds, for the message when it is missing
	 * @return its entries
	 * @throws AccessFileException when the file cannot be read, is not YAML, or holds no
	 * such list
	 */
	static List<?> list(Path file, String key, String expected) {
		Object root;
		try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
		}
		catch (IOException ex) {
			throw new AccessFileException(file, "cannot be read (" + ex.getClass().getSimpleName() + ")", ex);
		}
		catch (RuntimeException ex) {
			throw new AccessFileException(file, "is not valid YAML", ex);
		}
		if (!(root instanceof Map<?, ?> top) || !(top.get(key) instanceof List<?> entries)) {
			throw new AccessFileException(file, "must hold a list '" + key + "'" + expected);
		}
		return entries;
	}

}
