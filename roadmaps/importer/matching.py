"""Organizations named in a responsible cell, matched to those the program may name."""

import re

from core.xlsx import normalize

from ..setup_forms import program_organizations

# «Министерство образования Пермского края (далее – МОН ПК)»: an abbreviation defined in place.
_ALIAS_RE = re.compile(r"\(\s*далее\s*[-–—:]?\s*([^()]+?)\s*\)", re.IGNORECASE)
_REMARK_RE = re.compile(r"\([^()]*\)")
_PART_SPLIT_RE = re.compile(r"[;,\n]+")


def matchable_organizations(program, user=None, roadmap=None):
    """Organizations a responsible cell may name: those the item form offers (participants,
    owner, operator, the user's own authorities), or without a user (the command) the program's
    participants, owner and operator."""
    if user is not None:
        return program_organizations(program, user, roadmap)
    return program.organizations_taking_part()


def _part(raw):
    """A part of a responsible cell as compared: normalized, without a leading «и»."""
    part = normalize(raw).strip(" .-–—")
    return re.sub(r"^(и|а также)\s+", "", part)


def _in_order(wanted, words):
    remaining = iter(words)
    return all(word in remaining for word in wanted)


def _compact(name):
    return re.sub(r"[\W_]+", "", name)


class _Matcher:
    """Finds organizations named in a responsible cell, by full or short name, or by an
    abbreviation the table defines («(далее – ЦНППМПР)»)."""

    def __init__(self, organizations):
        self.names = []
        for organization in organizations.only("name", "short_name"):
            for name in {normalize(organization.short_name), normalize(organization.name)}:
                if len(name) >= 3:
                    self.names.append((name, organization))
        # Longest names first, so «МБОУ «СОШ №2»» is not taken for «СОШ №2» of another school.
        self.names.sort(key=lambda pair: -len(pair[0]))
        # Spacing and punctuation vary within one document: «ДОиМП г.Мегиона», «ДО и МП
        # г. Мегиона». A whole part is compared without them.
        self.exact = {}
        for name, organization in reversed(self.names):
            self.exact[_compact(name)] = organization
        self.aliases = {}

    def _find(self, part):
        return self._find_whole(part) or self._find_start(part)

    def _find_whole(self, part):
        """An organization whose whole name (or a defined abbreviation) the part contains."""
        if part in self.aliases:
            return self.aliases[part]
        if _compact(part) in self.exact:
            return self.exact[_compact(part)]
        for name, organization in self.names:
            # The plain substring test first: the pattern is built only for likely names.
            if name in part and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", part):
                return organization
        # «Управление образования администрации Аткарского района» names «Управление
        # образования Аткарского района»: every word of a long enough name, in its order.
        words = part.split()
        for name, organization in self.names:
            wanted = name.split()
            if len(wanted) >= 3 and _in_order(wanted, words):
                return organization
        return None

    def _find_start(self, part):
        """An organization whose name starts with the part: «ЦНППМПР» for «ЦНППМПР ГАУ ДПО
        «ИРО ПК»»."""
        if len(part) >= 4:
            for name, organization in self.names:
                if name.startswith(part + " "):
                    return organization
        return None

    def match(self, text):
        """The organizations named in the cell, in order, and the parts matched to none."""
        found, unmatched = [], []
        for alias_match in _ALIAS_RE.finditer(text):
            before = text[: alias_match.start()]
            defined = _PART_SPLIT_RE.split(_REMARK_RE.sub(" ", before))[-1]
            organization = self._find(normalize(defined))
            if organization is not None:
                self.aliases[normalize(alias_match.group(1))] = organization
        parts = [
            (raw, part)
            for raw in _PART_SPLIT_RE.split(_REMARK_RE.sub(" ", text))
            if (part := _part(raw))
        ]
        i = 0
        while i < len(parts):
            raw, part = parts[i]
            organization = self._find_whole(part)
            # A long name wrapped onto the next line of the cell: «Центр … работников\nГАУ
            # ДПО «ИРО ПК»» is one organization, not two parts.
            if organization is None and i + 1 < len(parts) and self._find(parts[i + 1][1]) is None:
                organization = self._find_whole(f"{part} {parts[i + 1][1]}")
                if organization is not None:
                    i += 1
            if organization is None:
                organization = self._find_start(part)
            if organization is None:
                unmatched.append(raw.strip(" .;,"))
            elif organization not in found:
                found.append(organization)
            i += 1
        return found, unmatched
