// Words that never name a topic, on top of recordText's stop words (which the embedder also drops). A topic name
// should say what its records are about, so the closed word classes of English are out, and so are the light
// verbs, general nouns and adjectives that any request may use whatever it is about.

const FUNCTION_WORDS = [
  // prepositions
  'about above across after against along among around at before behind below beneath beside besides between beyond by despite down during except for from in inside into like near of off on onto out outside over past per since than through throughout till to toward towards under underneath unlike until up upon via with within without',
  // conjunctions and question words
  'and but or nor so yet because although though while whereas unless whether if once otherwise what which who whom whose when where why how whatever whenever wherever however',
  // pronouns and determiners
  'i me my mine myself we us our ours ourselves you your yours yourself yourselves he him his she her hers it its itself they them their theirs themselves this that these those each either neither both few more most several such own all any some every no none another other others anyone anybody anything someone somebody something everyone everybody everything nobody nothing',
  // auxiliaries and modals
  'is am are was were be been being have has had having do does did doing done will would shall should can could may might must cannot',
  // adverbs of degree, time and manner
  'not yes also just only even still already again ever never always often sometimes usually here there now then too very quite rather really maybe perhaps instead anyway else soon later ago currently actually basically probably almost enough',
].join(' ');

const LIGHT_VERBS =
  'get gets got getting make makes made making want wants wanted need needs needed help helps use uses used using try tries tried trying work works worked working go goes went gone come comes came take takes took put puts run runs ran running keep keeps kept seem seems look looks looking say says said tell know think mean means let give show find see ask asked happen happens happened start started stop stopped change changed changes able';

const GENERAL_NOUNS =
  'thing things way ways question questions issue issues problem problems stuff lot lots kind sort type part bit case point example info information detail details idea reason option options hi hello thanks thank please ok okay yeah hey sorry guys day days week weeks month months year years today yesterday tomorrow morning evening night hour hours minute minutes second seconds time times moment';

const GENERAL_ADJECTIVES = 'new old same different good great best better bad first last next little much many sure possible right wrong fine whole certain main current able end';

/** Lower-case words (and their stems) that are never used in a topic name or description. */
export const GENERIC_TERMS: ReadonlySet<string> = new Set([FUNCTION_WORDS, LIGHT_VERBS, GENERAL_NOUNS, GENERAL_ADJECTIVES].join(' ').split(/\s+/).filter(Boolean));
