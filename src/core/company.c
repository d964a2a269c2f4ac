/* company.c - the employer a message names, from evidence gathered across the message.
 *
 * Owns the word lists that tell a company's name from everything else a hiring mail writes
 * in capitals (hiring words, event words, job titles, given names), the lists of hiring
 * systems, job boards, tools and mail hosts, and the scoring of candidates (company.h).
 *
 * Text is cut into tokens once per place; a run is a stretch of capitalised words (with
 * "&", "and", "of" between them) on one line and without punctuation inside. A name is
 * read out of a run by name_from_run(): hiring words ("Recruiting", "Talent Acquisition")
 * and event words ("Application Update") end it, a job title voids it. The places look
 * for runs in the spots where employers write their name: after "interest in", "join",
 * "position at"; before "is an equal opportunity employer"; at the head of a subject; in a
 * signature; in the display name; and the sender's address and the links give keys. Then
 * one more pass over the runs of the subject and body counts how often each candidate is
 * written and in which form. Candidates whose keys are equal, or one inside the other,
 * merge. Every pass is linear in the text it reads, which is bounded (MAX_SCAN); the
 * pairwise merge looks at MAX_MERGE candidates at most.
 */
#include "apptrack/company.h"

#include "apptrack/text.h"

#include <stdbool.h>
#include <string.h>

#define MAX_SCAN ((size_t)64 << 10) /* bytes of body text read */
#define MAX_CANDIDATES 200          /* candidates kept; later names are dropped */
#define MAX_ADDS MAX_CANDIDATES     /* names offered by the places; later ones are not read */
#define MAX_NAME_WORDS 6            /* a longer run is a sentence, not a name */
#define MAX_NAME_BYTES 80
#define MAX_WORD 48           /* bytes of a word looked up in the lists: longer ones are in none */
#define MAX_FORMS 8           /* written forms kept of one candidate */
#define MAX_MERGE 48          /* best candidates compared pairwise for containment */
#define MAX_SIGNATURES 8      /* closings ("Best regards,") whose signature is read */
#define SIGNATURE_LINES 6     /* lines of a signature read */
#define MAX_SIGNATURE_LINE 80 /* a longer line is prose */
#define MAX_HOST_LABELS 16
#define MAX_SLUG 60         /* bytes of a hiring system's tenant name in a link */
#define MIN_KEY 2           /* a shorter key names nothing */
#define MIN_ID_DIGITS 3     /* a word of a mailbox with this many digits... */
#define MIN_ID_LENGTH 8     /* ...and this long is a generated id */
#define MIN_CONTAINED_KEY 3 /* a shorter key is not looked for inside another */
#define WRAP_MIN 60         /* a line at least this long was wrapped: a run may go on after it */
#define MENTION_WEIGHT 0.1  /* each time the body writes a candidate... */
#define MENTION_CAP 0.3     /* ...up to this much in all */
#define MAX_TRIGGER 3       /* words of a trigger phrase */
#define MAX_RUN 40          /* a longer run of capitals is no prose: its mentions are not counted */
#define PREFIX_BITS 4096    /* size of the filter of keys' first two characters */
#define LEGAL_SLACK 16      /* characters a legal form may add to a key as written */

/* ---- places ---- */

enum place {
	PLACE_RULE,
	PLACE_DISPLAY,
	PLACE_LOCAL,
	PLACE_DOMAIN,
	PLACE_SUBJECT,
	PLACE_BODY,
	PLACE_LINK,
	PLACE_COUNT
};

/* What naming a company in each place is worth. One place alone reaches COMPANY_MIN_SCORE
 * only when it is one that names the employer on purpose (rule, display, subject, body,
 * a hiring system's mailbox); the sender's domain and the links must be backed by another
 * place or by mentions, since recruiters, agencies and newsletters write from their own. */
static const struct {
	const char *name;
	double weight;
} places[PLACE_COUNT] = {
	[PLACE_RULE] = { "rule", 1.5 },	      [PLACE_DISPLAY] = { "display", 1.2 },
	[PLACE_LOCAL] = { "local", 1.0 },     [PLACE_DOMAIN] = { "domain", 0.8 },
	[PLACE_SUBJECT] = { "subject", 1.2 }, [PLACE_BODY] = { "body", 1.0 },
	[PLACE_LINK] = { "link", 0.6 },
};

/* ---- word lists ---- */

/* Word classes, looked up lower-cased. */
enum {
	W_STOP = 1 << 0,      /* never in a name: breaks a run */
	W_EVENT = 1 << 1,     /* what a mail is about ("Application Update"): ends a name, never starts one */
	W_HIRING = 1 << 2,    /* who sends it ("Recruiting", "Talent"): ends a name, may start one */
	W_TITLE = 1 << 3,     /* a job title: a run holding one is a position, not a company */
	W_MODIFIER = 1 << 4,  /* words of titles and departments: a name of these only is none */
	W_CONNECTOR = 1 << 5, /* joins two capitalised words into one name */
	W_ORG = 1 << 6,       /* words of organisations: never in a person's name */
	W_GIVEN = 1 << 7,     /* a common given name */
	W_LEAD = 1 << 8,      /* dropped at the start of a name: "The", "Team Amentum" */
	W_LEGAL = 1 << 9,     /* a legal form: the run before it is a company */
	W_TRIGGER = 1 << 10,  /* the last word of a phrase in before_body or before_subject */
};

static const char *const stop_words[] = {
	"a", "an", "i", "me", "my", "we", "we're", "we’re", "we'd", "we’d", "we'll", "we’ll", "us", "our",
	"ours", "you", "you're", "you’re", "your", "yours", "he", "she", "they", "them", "their", "his",
	"her", "it", "it's", "it’s", "its", "this", "that", "these", "those", "there", "here", "hi", "hello",
	"hey", "dear", "greetings", "thanks", "thank", "please", "kindly", "unfortunately", "fortunately",
	"congratulations", "congrats", "regards", "sincerely", "best", "cheers", "warmly", "re", "fw", "fwd",
	"aw", "wg", "sv", "antw", "or", "but", "if", "so", "as", "at", "to", "with", "from", "for", "in",
	"on", "by", "via", "about", "after", "before", "during", "into", "over", "under", "per", "is", "are",
	"was", "were", "be", "been", "being", "do", "does", "did", "don't", "don’t", "can", "could", "would",
	"should", "will", "shall", "may", "might", "must", "have", "has", "had", "not", "no", "yes", "what",
	"when", "where", "why", "who", "whom", "which", "how", "all", "any", "each", "every", "some", "more",
	"most", "new", "last", "just", "also", "only", "again", "still", "today", "tomorrow", "yesterday",
	"now", "then", "apply", "applying", "applied", "join", "joining", "welcome", "meet", "check",
	"complete", "finish", "start", "get", "take", "see", "click", "view", "reply", "let", "let's",
	"let’s", "mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "noreply", "no-reply", "donotreply",
	"do-not-reply", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "mon",
	"tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "january", "february", "march",
	"april", "june", "july", "august", "september", "october", "november", "december", "jan", "feb",
	"mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "am", "pm", "est", "edt",
	"pst", "pdt", "cst", "cdt", "mst", "mdt", "et", "pt", "ct", "utc", "gmt", "cet", "cest", "bst", "ps",
	"fyi", "asap", "etc", "ok", "okay", "sorry", "happy", "good", "great", "quick", "hope", "sent",
	"note", "attached", "following", "unless", "whether", "while", "because", "since", "until",
	"although", "though", "however", "therefore", "yet", "out", "up", "down", "off", "one", "two",
	"three", "four", "five", "many", "much", "other", "another", "such", "very", "really", "well", "hiya",
	"howdy", "morning", "afternoon", "evening", "tbd", "subject", "date", "cc", "bcc", "sender",
	"recipient",
	/* German, French and Spanish mail capitalises these too */
	"ihre", "ihrer", "ihr", "sie", "wir", "unser", "unsere", "vielen", "dank", "sehr", "geehrte",
	"geehrter", "herr", "frau", "liebe", "lieber", "hallo", "mit", "freundlichen", "grüßen", "grüße",
	"viele", "bei", "für", "und", "der", "die", "das", "votre", "vous", "nous", "merci", "bonjour",
	"madame", "monsieur", "cordialement", "chez", "pour", "su", "usted", "gracias", "hola", "estimado",
	"estimada", "saludos",
};

static const char *const event_words[] = {
	"application", "applications", "applicant", "applicants", "interview", "interviews", "interviewing",
	"confirmation", "confirmed", "confirm", "invitation", "invite", "invited", "update", "updates",
	"updated", "status", "notification", "notifications", "notice", "alert", "alerts", "reminder",
	"reminders", "opportunity", "opportunities", "opening", "openings", "position", "positions", "role",
	"roles", "vacancy", "vacancies", "posting", "postings", "offer", "offers", "employment", "assessment",
	"assessments", "test", "tests", "challenge", "exercise", "assignment", "screening", "screen", "phone",
	"call", "video", "meeting", "chat", "conversation", "schedule", "scheduled", "scheduling",
	"availability", "submission", "submitted", "received", "receipt", "acknowledgement", "acknowledgment",
	"feedback", "survey", "decision", "result", "results", "outcome", "next", "step", "steps", "request",
	"requested", "response", "action", "required", "important", "information", "details", "regarding",
	"official", "online", "virtual", "onsite", "final", "first", "second", "third", "round", "stage",
	"candidate", "candidates", "candidacy", "resume", "résumé", "cv", "profile", "account", "password",
	"verification", "verify", "code", "portal", "newsletter", "digest", "weekly", "daily", "monthly",
	"event", "webinar", "form", "letter", "documents", "document", "contract", "agreement", "onboarding",
	"salary", "compensation", "benefits", "message", "email", "e-mail", "mail", "inbox", "attachment",
	"link", "unsubscribe", "privacy", "policy", "terms", "copyright", "rights", "reserved", "employer",
	"organization", "organisation", "name", "referral", "confidential", "external", "internal", "spam",
	"automatic", "automated", "auto", "remote", "hybrid", "full-time", "part-time", "temporary",
	"permanent", "trends", "news", "dashboard", "login", "sign", "thank-you", "reference", "references",
	"background", "offer-letter", "invitations", "search", "network", "community", "talent-network",
	"opportunity’s", "hiring-manager", "time", "coding", "programming", "homework", "take-home", "quiz",
	"bewerbung", "bewerbungen", "eingangsbestätigung", "bestätigung", "absage", "einladung",
	"vorstellungsgespräch", "stelle", "zusage", "rückmeldung", "stellenangebot", "candidature",
	"entretien", "offre", "poste", "candidatura", "entrevista", "oferta",
};

static const char *const hiring_words[] = {
	"recruiting", "recruitment", "recruiter", "recruiters", "hiring", "hire", "team", "teams", "talent",
	"acquisition", "careers", "career", "jobs", "job", "hr", "human", "people", "staffing", "personnel",
	"workforce", "sourcing", "karriere", "recrutement", "empleo", "campus", "workday", "icims",
	"personalabteilung", "recursos", "humanos", "ressources", "humaines", "greenhouse", "lever",
	"smartrecruiters", "ashby", "taleo", "jobvite", "brassring", "indeed", "linkedin", "glassdoor",
	"ziprecruiter", "hackerrank", "codility", "codesignal", "odoo", "personio", "teamtailor", "workable",
	"recruitee", "bamboohr", "jazzhr", "breezy", "department", "dept", "desk",
};

static const char *const title_words[] = {
	"engineer", "engineers", "developer", "developers", "manager", "managers", "analyst", "analysts",
	"specialist", "specialists", "assistant", "coordinator", "coordinators", "director", "intern",
	"interns", "internship", "designer", "scientist", "scientists", "technician", "technologist",
	"teacher", "teachers", "nurse", "receptionist", "secretary", "administrator", "architect",
	"consultant", "officer", "representative", "rep", "recruiter", "programmer", "accountant", "tester",
	"researcher", "dispatcher", "operator", "clerk", "advisor", "adviser", "lead", "head", "vp",
	"president", "ceo", "cto", "cfo", "coo", "founder", "cofounder", "co-founder", "owner", "fellow",
	"professor", "lecturer", "tutor", "instructor", "trainer", "writer", "editor", "producer", "marketer",
	"cashier", "barista", "driver", "mechanic", "electrician", "plumber", "chef", "cook", "agent",
	"broker", "paralegal", "attorney", "lawyer", "counsel", "pharmacist", "physician", "therapist",
	"hygienist", "dentist", "veterinarian", "superintendent", "supervisor", "foreman", "worker",
	"laborer", "planner", "buyer", "auditor", "controller", "bookkeeper", "estimator", "surveyor",
	"inspector", "investigator", "strategist", "economist", "statistician", "librarian", "counselor",
	"coach", "generalist", "graduate", "trainee", "apprentice", "contractor", "freelancer", "sdet", "sre",
	"swe", "sde", "tpm", "associate", "partner-manager", "stategist", "staffer",
};

static const char *const modifier_words[] = {
	"senior", "sr", "junior", "jr", "lead", "principal", "staff", "chief", "head", "associate",
	"assistant", "executive", "software", "hardware", "data", "machine", "learning", "ml", "ai",
	"backend", "back-end", "back", "frontend", "front-end", "front", "end", "full", "stack", "full-stack",
	"fullstack", "web", "mobile", "ios", "android", "cloud", "devops", "platform", "infrastructure",
	"security", "cyber", "cybersecurity", "network", "product", "project", "program", "technical",
	"research", "sales", "marketing", "account", "customer", "success", "support", "operations",
	"business", "financial", "finance", "quality", "assurance", "qa", "automation", "embedded",
	"firmware", "field", "service", "site", "reliability", "it", "digital", "content", "graphic", "ux",
	"ui", "user", "experience", "design", "growth", "payroll", "office", "administrative", "branch",
	"dental", "veterinary", "medical", "clinical", "registered", "licensed", "certified", "entry",
	"level", "mid", "ii", "iii", "iv", "general", "regional", "district", "area", "territory", "inside",
	"logistics", "supply", "chain", "warehouse", "legal", "compliance", "risk", "audit", "tax",
	"investment", "credit", "insurance", "claims", "communications", "public", "relations", "social",
	"media", "brand", "creative", "game", "computer", "vision", "quantitative", "trading", "electrical",
	"mechanical", "civil", "chemical", "manufacturing", "engineering", "management", "leadership",
	"partnerships", "analytics", "development", "systems", "solutions", "delivery", "test", "integration",
	"database", "devsecops", "accounting", "hr", "people", "talent", "recruiting", "corporate", "global",
	"national", "international", "remote", "intern", "graduate", "new", "grad", "partner", "partners",
	"company",
};

static const char *const connector_words[] = {
	"and", "&", "+", "of", "de", "der", "den", "du", "la", "le", "van", "von", "y", "für", "und",
};

static const char *const org_words[] = {
	"inc", "llc", "ltd", "corp", "corporation", "co", "company", "group", "gmbh", "ag", "sa", "plc",
	"llp", "lp", "limited", "incorporated", "labs", "lab", "technologies", "technology", "tech",
	"systems", "solutions", "services", "partners", "holdings", "industries", "international", "global",
	"bank", "capital", "health", "healthcare", "foods", "food", "analytics", "software", "networks",
	"consulting", "media", "studios", "studio", "ventures", "university", "college", "school", "academy",
	"institute", "foundation", "association", "agency", "hospital", "clinic", "dental", "insurance",
	"financial", "logistics", "logistik", "robotics", "energy", "motors", "pharma", "pharmaceuticals",
	"therapeutics", "bio", "sciences", "associates", "market", "markets", "store", "stores", "restaurant",
	"restaurants", "hotel", "hotels", "resorts", "airlines", "airways", "communications", "telecom",
	"mobile", "games", "entertainment", "records", "press", "publishing", "digital", "data", "cloud",
	"security", "trust", "fund", "investments", "realty", "properties", "construction", "engineering",
	"manufacturing", "brands", "ai", "io", "hq", "council", "county", "city", "department", "office",
	"center", "centre", "church", "society", "club", "union", "bureau", "ministry", "authority",
	"commission", "street", "works", "factory", "farms", "farm", "coffee", "bakery", "pharmacy",
	"automotive", "aerospace", "defense", "defence", "federal", "research", "marketing", "design",
	"creative", "interactive", "solar", "power", "electric", "water", "gas", "oil", "mining", "steel",
	"chemicals", "materials", "devices", "instruments", "electronics", "semiconductor", "semiconductors",
	"biotech", "medical", "care", "home", "homes", "living", "travel", "tours", "air", "express",
	"freight", "shipping", "transport", "transportation", "consultants", "advisors", "advisory", "law",
	"legal", "accounting", "payments", "pay", "finance", "credit", "lending", "wealth", "asset",
	"management", "retail", "apparel", "fashion", "beauty", "sports", "fitness", "wellness", "kitchen",
	"grill", "cafe", "bar", "brewing", "wine", "chocolatier", "traders", "trading", "supply", "supplies",
	"distribution", "wholesale", "partner", "staffing", "search", "recruiting", "talent", "careers",
	"jobs",
};

static const char *const legal_words[] = {
	"inc", "llc", "ltd", "corp", "corporation", "gmbh", "ag", "plc", "llp", "limited", "incorporated",
	"pty", "pvt", "bv", "nv", "sarl", "srl", "spa", "ab", "oy", "as", "kg",
};

static const char *const lead_words[] = { "the", "team" };

/* A modest list of common given names, for telling a recruiter's name from a company's. */
static const char *const given_names[] = {
	"aaron", "abigail", "adam", "adrian", "aisha", "alan", "albert", "alex", "alexa", "alexander",
	"alexandra", "alexis", "ali", "alice", "alicia", "allison", "alyssa", "amanda", "amber", "amelia",
	"amy", "ana", "andrea", "andrew", "andy", "angela", "anna", "anne", "annie", "anthony", "antonio",
	"april", "arjun", "ashley", "austin", "ava", "barbara", "ben", "benjamin", "beth", "bethany", "betty",
	"bill", "blake", "bob", "brad", "bradley", "brandon", "brenda", "brett", "brian", "brittany",
	"brooke", "bruce", "bryan", "caitlin", "cameron", "carl", "carla", "carlos", "carol", "caroline",
	"carolyn", "casey", "catherine", "chad", "charles", "charlie", "charlotte", "chelsea", "chloe",
	"chris", "christian", "christina", "christine", "christopher", "cindy", "claire", "colin", "colton",
	"connor", "courtney", "craig", "crystal", "cynthia", "daniel", "danielle", "dana", "daniela", "david",
	"dean", "deborah", "debra", "denise", "dennis", "derek", "diana", "diane", "dominic", "donald",
	"donna", "doris", "dorothy", "douglas", "dylan", "ed", "edward", "elena", "eli", "elijah",
	"elizabeth", "ella", "ellen", "emily", "emma", "eric", "erica", "erin", "ethan", "eugene", "eva",
	"evan", "fatima", "felix", "fiona", "frances", "frank", "gabriel", "gabriela", "gary", "george",
	"gerald", "gina", "grace", "greg", "gregory", "hannah", "harold", "harry", "heather", "helen",
	"henry", "holly", "ian", "isaac", "isabella", "jack", "jackson", "jacob", "jacqueline", "jake",
	"james", "jamie", "jane", "janet", "janice", "jared", "jason", "javier", "jay", "jean", "jeff",
	"jeffrey", "jenna", "jennifer", "jenny", "jeremy", "jerry", "jesse", "jessica", "jill", "jim",
	"jimmy", "joan", "joanna", "joao", "joe", "joel", "john", "jon", "jonathan", "jordan", "jorge",
	"jose", "joseph", "josh", "joshua", "joyce", "juan", "judith", "judy", "julia", "julie", "justin",
	"karen", "kate", "katherine", "kathleen", "kathryn", "kathy", "katie", "kayla", "keith", "kelly",
	"kelsey", "ken", "kenneth", "kevin", "kim", "kimberly", "kristen", "kyle", "laura", "lauren",
	"lawrence", "leah", "lena", "leo", "liam", "linda", "lindsay", "lisa", "logan", "lori", "louis",
	"lucas", "lucy", "luis", "luke", "madison", "maria", "marie", "marilyn", "mark", "martha", "martin",
	"mary", "mason", "matt", "matthew", "max", "megan", "melanie", "melina", "melissa", "mia", "michael",
	"michelle", "miguel", "mike", "mohamed", "mohammed", "molly", "monica", "morgan", "nadia", "nancy",
	"natalie", "nathan", "nicholas", "nick", "nicole", "noah", "nora", "olivia", "oliver", "pamela",
	"patricia", "patrick", "paul", "paula", "peter", "philip", "phillip", "priya", "rachel", "rahul",
	"ralph", "raj", "randy", "raymond", "rebecca", "richard", "riley", "rob", "robert", "robin", "roger",
	"ronald", "rose", "ruth", "ryan", "sam", "samantha", "samuel", "sandra", "sara", "sarah", "scott",
	"sean", "shannon", "sharon", "shirley", "sofia", "sophia", "sophie", "stephanie", "stephen", "steve",
	"steven", "susan", "sydney", "tara", "taylor", "teresa", "terry", "thomas", "tiffany", "tim",
	"timothy", "tom", "tony", "tracy", "tyler", "valerie", "vanessa", "victor", "victoria", "vincent",
	"virginia", "walter", "wayne", "wendy", "william", "zachary", "zoe", "ahmed", "amit", "anil",
	"deepak", "divya", "li", "wei", "yuki", "hiroshi", "sven", "lars", "anders", "ingrid", "hans",
	"klaus", "jürgen", "stefan", "andreas", "markus", "pierre", "marc", "camille", "giulia", "marco",
	"luca", "francesca", "pedro", "pablo", "carmen", "lucia", "sergio", "ivan", "olga", "natasha",
	"dmitri", "esther", "miriam",
};

/* Key classes: what a folded name or domain label is, when it is not an employer. */
enum {
	K_EXCLUDED = 1 << 0, /* never the employer: hiring systems, job boards, tools' products */
	K_TOOL = 1 << 1,     /* an employer only where the sender names itself (display, subject, rule) */
	K_MAILHOST = 1 << 2, /* a mail provider or sending service: its domain names no employer */
	K_HIRING_SYSTEM = 1 << 3, /* its mailboxes' local parts and its sub-domains name the employer */
	K_NO_LINK = 1 << 4,       /* a link there names no employer: social, shorteners, tracking, CDNs */
	K_PATH_TENANT = 1 << 5,   /* its links name the employer in the first path segment */
	K_INFRA = 1 << 6,         /* a host label of infrastructure (www, mail, us, wd5): skipped */
	K_SUB_TENANT = 1 << 7,    /* its links name the employer in a sub-domain (acme.icims.com) */
	K_JOB_BOARD = 1 << 8,     /* a job board (company_host_kind()) */
	K_ASSESSMENT = 1 << 9,    /* a site of coding tests and assessments (company_host_kind()) */
};

static const char *const hiring_systems[] = {
	"workday", "myworkday", "myworkdayjobs", "icims", "brassring", "kenexa", "adp", "workforcenow",
	"taleo", "oraclecloud", "successfactors", "jobvite", "greenhouse", "greenhousemail", "lever",
	"smartrecruiters", "ashby", "ashbyhq", "workable", "recruitee", "teamtailor", "personio", "bamboohr",
	"breezy", "breezyhr", "applytojob", "jazzhr", "jazz", "hireology", "ultipro", "ukg", "paylocity",
	"paycom", "paycomonline", "avature", "phenom", "phenompeople", "eightfold", "clinch", "clinchtalent",
	"csod", "cornerstone", "recruiterbox", "zohorecruit", "manatal", "odoo", "dover", "rippling",
	"pinpointhq", "comeet", "freshteam", "hiringthing", "apploi", "fountain", "paradox", "trakstar",
	"bullhorn", "jobdiva", "gem", "beamery", "hirebridge", "hrmdirect", "applicantpro", "isolvedhire",
	"dayforce", "dayforcehcm", "ceridian", "silkroad", "peopleadmin", "neogov", "governmentjobs",
	"schooljobs", "hirevue", "sapsf", "jobs2web", "talentlyft", "join", "homerun", "recruitcrm", "loxo",
	"ciivsoft", "tribepad", "hibob", "factorial", "bizmerlinhr", "taleonet",
};

static const char *const job_boards[] = {
	"indeed", "indeedapply", "linkedin", "glassdoor", "ziprecruiter", "monster", "careerbuilder", "dice",
	"usajobs", "simplyhired", "wellfound", "angellist", "handshake", "joinhandshake", "otta",
	"teachingvacancies", "stepstone", "xing", "seek", "reed", "totaljobs", "naukri", "adzuna", "jooble",
	"builtin", "themuse", "idealist", "snagajob", "talroo", "jobleads", "lensa", "jobcase", "theladders",
	"ladders", "flexjobs", "remoteok", "weworkremotely", "jobsnet", "jobs", "jobright", "hiredcom",
	"workatastartup", "ycombinator", "jobot", "cvlibrary", "cwjobs", "efinancialcareers", "jobteaser",
	"welcometothejungle", "infojobs", "jobrapido", "careerjet", "trovit", "neuvoo", "talent", "talentcom",
	"getwork", "jobserve", "guardianjobs", "hackernews", "remotive", "workingnomads", "jobgether",
	"himalayas", "arc", "toptal", "upwork", "fiverr", "jobstreet", "bayt", "gulftalent", "careers24",
	"pnet", "jobsdb", "instahyre", "cutshort", "hirist",
};

/* Tools a hiring mail links to or names (meetings, tests, calendars, forms, mail). */
static const char *const excluded_names[] = {
	"hackerrank", "hackerrankforwork", "codility", "codesignal", "coderpad", "hirevue", "karat",
	"testgorilla", "calendly", "goodtime", "microsoftteams", "msteams", "teams", "googlemeet",
	"googlecalendar", "googleforms", "googledocs", "googledrive", "googlehangouts", "hangouts", "meet",
	"webex", "ciscowebex", "gotomeeting", "skype", "zoommeeting", "zoomus", "zoomvideo", "gmail",
	"outlook", "hotmail", "yahoo", "icloud", "protonmail", "docusign", "adobesign", "typeform",
	"surveymonkey", "qualtrics", "sendgrid", "mailchimp", "hubspot", "mailgun", "criteriacorp",
	"criteria", "pymetrics", "shl", "mettl", "vervoe", "willo", "sparkhire", "myinterview", "spark",
	"quiz", "applicanttrackingsystem", "ats", "example", "examplecom", "yourcompany", "companyname",
	"yourname", "us", "usa", "uk", "eu", "america", "europe", "humanresources",
};

/* Sites that send or host the tests employers give (also in excluded_names). */
static const char *const assessment_sites[] = {
	"hackerrank", "hackerrankforwork", "codility", "codesignal", "coderpad", "hirevue", "karat",
	"testgorilla", "criteriacorp", "pymetrics", "shl", "mettl", "vervoe", "devskiller", "qualified",
	"coderbyte", "hackerearth", "imocha", "alooba", "canditech", "sparkhire", "willo", "myinterview",
};

static const char *const tools[] = {
	"google", "microsoft", "zoom", "facebook", "twitter", "youtube", "whatsapp", "skype",
};

static const char *const mail_hosts[] = {
	"gmail", "googlemail", "outlook", "hotmail", "live", "msn", "yahoo", "ymail", "rocketmail", "aol",
	"icloud", "me", "mac", "protonmail", "proton", "pm", "gmx", "web", "mail", "email", "yandex", "zoho",
	"zohomail", "fastmail", "hey", "tutanota", "comcast", "verizon", "att", "sbcglobal", "bellsouth",
	"cox", "charter", "earthlink", "qq", "163", "126", "naver", "rediffmail", "orange", "free", "laposte",
	"btinternet", "sky", "virginmedia", "tonline", "freenet", "libero", "seznam", "wp", "o2", "interia",
	"example", "invalidemail", "amazonses", "sendgrid", "mailgun", "mailchimp", "mandrillapp",
	"sparkpostmail", "mcsv", "rsgsv", "mcdlv", "sendinblue", "brevo", "mailjet", "postmarkapp",
	"mailerlite", "constantcontact", "exacttarget", "salesforce", "marketo", "mktomail", "pardot",
	"hubspotemail", "hs", "bounce", "messagebus", "klaviyo", "customerio", "intercom", "intercommail",
	"zendesk", "freshdesk", "notion", "slack", "google", "microsoft", "zoom", "calendly",
};

static const char *const link_skip[] = {
	"facebook", "fb", "twitter", "x", "instagram", "youtube", "youtu", "linkedin", "lnkd", "tiktok",
	"pinterest", "reddit", "medium", "github", "glassdoor", "t", "bit", "bitly", "goo", "tinyurl", "ow",
	"buff", "rebrand", "is", "cutt", "shorturl", "tiny", "rb", "s", "aka", "mailchimp", "listmanage",
	"mcusercontent", "sendgrid", "mandrillapp", "mailgun", "sparkpostmail", "hubspot", "hubspotlinks",
	"hssites", "hsforms", "marketo", "mktoweb", "pardot", "exacttarget", "salesforce", "constantcontact",
	"campaignarchive", "urldefense", "mimecast", "safelinks", "doubleclick", "googleadservices",
	"googleanalytics", "googletagmanager", "gstatic", "googleapis", "googleusercontent", "cloudfront",
	"amazonaws", "akamai", "akamaihd", "azureedge", "w3", "schema", "apple", "microsoft", "office",
	"office365", "live", "sharepoint", "onedrive", "dropbox", "box", "docusign", "adobe", "typeform",
	"surveymonkey", "qualtrics", "gle", "zoom", "webex", "gotomeeting", "calendly", "coderpad",
	"wikipedia", "localhost", "example", "google", "outlook", "gmail", "yahoo", "icloud", "whatsapp",
	"wa", "telegram", "discord", "slack", "vimeo", "wistia", "spotify", "apps", "play", "cloudflare",
	"jsdelivr", "unpkg", "bootstrapcdn", "fontawesome", "fonts", "imgur", "giphy", "gravatar",
	"wordpress", "wp", "blogspot", "substack", "eventbrite", "meetup", "sendinblue", "brevo", "mailjet",
	"klaviyo", "litmus", "emltrk", "returnpath", "list-manage", "email", "clicks", "click", "trk",
	"track", "tracking", "lt", "links", "link", "url", "redirect", "r", "e", "go", "mkt", "em", "info",
};

/* Host labels that name infrastructure, not a tenant or an employer. */
static const char *const infra_labels[] = {
	"www", "www2", "mail", "email", "em", "e", "t", "l", "r", "s", "u", "link", "links", "click",
	"clicks", "go", "news", "newsletter", "mailer", "bounce", "reply", "smtp", "mx", "send", "notify",
	"notification", "notifications", "hire", "jobs", "job", "careers", "career", "talent", "apply", "app",
	"apps", "portal", "us", "eu", "uk", "de", "ca", "au", "emea", "apac", "na", "wd1", "wd2", "wd3",
	"wd4", "wd5", "wd10", "wd12", "wd101", "wd102", "wd103", "wd105", "wd108", "trm", "service",
	"services", "secure", "login", "account", "accounts", "auth", "sso", "api", "cdn", "static", "img",
	"images", "assets", "boards", "job-boards", "m", "my", "tracking", "track", "hrm", "recruiting",
	"recruit", "ats", "candidate", "candidates", "system", "systems", "web", "info", "alerts", "alert",
	"noreply", "no-reply", "message", "messages", "msg", "cs", "pages", "page", "mkt",
};

/* Families of job boards with a domain per city or country (builtinboston, builtinnyc). */
static const char *const board_prefixes[] = {
	"builtin", "indeed", "linkedin", "glassdoor", "monster", "ziprecruiter", "stepstone",
};

/* Second-level labels under a country code: acme.co.uk, acme.com.au. */
static const char *const country_seconds[] = {
	"co", "com", "org", "net", "gov", "ac", "edu", "ne", "or", "go", "gv", "ltd", "plc", "sch", "nhs",
	"mil", "gob", "gouv", "nic", "biz", "info",
};

/* Tokens of a hiring system's local part that are not the employer. */
static const char *const local_noise[] = {
	"noreply", "no", "reply", "donotreply", "do", "not", "autoreply", "auto", "notification",
	"notifications", "notify", "mailer", "system", "admin", "support", "info", "jobs", "job", "careers",
	"career", "talent", "recruiting", "recruitment", "recruiter", "hr", "hiring", "team", "mail", "email",
	"alerts", "alert", "news", "candidate", "candidates", "applicant", "applicants", "apply", "workday",
	"ext", "external", "tm", "ta", "wd", "global", "us", "messages", "message", "service", "services",
	"people", "staffing", "smtp", "bounce", "bounces", "postmaster", "mailbox", "inbox", "hello",
	"contact", "office", "sender", "talentacquisition",
};

/* Endings glued to a mailbox name (baesystemstalent, acmecareers), longest first. */
static const char *const local_suffixes[] = {
	"talentacquisition", "notifications", "recruitment", "recruiting", "careers", "noreply", "hiring",
	"talent", "career", "jobs", "team", "hr",
};

/* Legal forms glued to a domain or mailbox name (arescorporation, millgroupinc). */
static const char *const glued_legal[] = {
	"corporation", "incorporated", "corp", "inc", "llc", "ltd", "gmbh", "plc",
};

static const char *const closings[] = {
	"regards", "best regards", "kind regards", "warm regards", "warmest regards", "best wishes",
	"sincerely", "yours sincerely", "sincerely yours", "yours truly", "respectfully", "thanks",
	"thank you", "many thanks", "thanks again", "thanks so much", "thank you again", "best",
	"all the best", "cheers", "cordially", "warmly", "with appreciation", "with best regards", "best,",
	"mit freundlichen grüßen", "viele grüße", "cordialement", "saludos", "un saludo",
	"met vriendelijke groet", "with thanks", "best to you", "all best", "take care", "talk soon",
	"kindest regards", "best wishes to you", "respectfully yours", "with gratitude", "thank you kindly",
};

struct word_list {
	unsigned cls;
	const char *const *words;
	size_t n;
};

#define LIST(cls, words)                                                                                     \
	{                                                                                                    \
		cls, words, G_N_ELEMENTS(words)                                                              \
	}

static GHashTable *word_table; /* lower-cased word -> GUINT_TO_POINTER(W_* bits) */
static GHashTable *key_table;  /* key -> K_* bits */

/* Adds the words of lists to table, OR-ing the classes of a word found in several. */
static void table_add(GHashTable *table, const struct word_list *lists, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < lists[i].n; k++) {
			const char *w = lists[i].words[k];
			unsigned bits = GPOINTER_TO_UINT(g_hash_table_lookup(table, w));
			g_hash_table_insert(table, (gpointer)w, GUINT_TO_POINTER(bits | lists[i].cls));
		}
}

/* Builds the tables once, for all threads; they live as long as the process. */
static gpointer lists_init(gpointer unused)
{
	static const struct word_list words[] = {
		LIST(W_STOP, stop_words), LIST(W_EVENT, event_words), LIST(W_HIRING, hiring_words),
		LIST(W_TITLE, title_words), LIST(W_MODIFIER, modifier_words),
		LIST(W_CONNECTOR, connector_words), LIST(W_ORG, org_words), LIST(W_GIVEN, given_names),
		LIST(W_LEAD, lead_words), LIST(W_LEGAL, legal_words),
	};
	static const struct word_list keys[] = {
		LIST(K_EXCLUDED | K_HIRING_SYSTEM, hiring_systems), LIST(K_EXCLUDED | K_JOB_BOARD, job_boards),
		LIST(K_EXCLUDED | K_ASSESSMENT, assessment_sites),
		LIST(K_EXCLUDED, excluded_names), LIST(K_TOOL, tools), LIST(K_MAILHOST, mail_hosts),
		LIST(K_NO_LINK, link_skip), LIST(K_INFRA, infra_labels),
	};
	static const char *const path_tenants[] = {
		"greenhouse", "lever", "ashbyhq", "smartrecruiters", "workable", "jobvite", "linkedin",
	};
	static const char *const sub_tenants[] = {
		"icims", "myworkdayjobs", "bamboohr", "recruitee", "teamtailor", "personio", "breezy",
		"breezyhr", "applytojob", "taleo", "odoo", "csod", "avature", "workable", "zohorecruit",
		"pinpointhq", "freshteam", "greenhouse",
	};
	static const struct word_list tenants[] = {
		LIST(K_PATH_TENANT, path_tenants), LIST(K_SUB_TENANT, sub_tenants),
	};

	(void)unused;
	word_table = g_hash_table_new(g_str_hash, g_str_equal);
	table_add(word_table, words, G_N_ELEMENTS(words));
	key_table = g_hash_table_new(g_str_hash, g_str_equal);
	table_add(key_table, keys, G_N_ELEMENTS(keys));
	table_add(key_table, tenants, G_N_ELEMENTS(tenants));
	return NULL;
}

static void phrases_ready(void);

/* Builds the lists once, before the first message is read. */
static void lists_ready(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, lists_init, NULL);
	phrases_ready();
}

/* The W_* classes of the len bytes at w (any case). */
static unsigned word_class(const char *w, size_t len)
{
	char buf[MAX_WORD + 1];

	if (len == 0 || len > MAX_WORD)
		return 0;
	for (size_t i = 0; i < len; i++)
		buf[i] = g_ascii_tolower(w[i]);
	buf[len] = '\0';
	unsigned cls = GPOINTER_TO_UINT(g_hash_table_lookup(word_table, buf));
	/* a compound is what its last part is: "Recruiting-Team", "Full-Stack" */
	const char *dash = strrchr(buf, '-');
	if (!cls && dash && dash[1])
		cls = GPOINTER_TO_UINT(g_hash_table_lookup(word_table, dash + 1)) &
		      (W_HIRING | W_EVENT | W_TITLE | W_MODIFIER);
	return cls;
}

bool company_given_name(const char *word)
{
	lists_ready();
	return (word_class(word, strlen(word)) & W_GIVEN) != 0;
}

/* The K_* classes of a key or a lower-case host label. */
static unsigned key_class(const char *key)
{
	return key ? GPOINTER_TO_UINT(g_hash_table_lookup(key_table, key)) : 0;
}

enum host_kind company_host_kind(const char *label)
{
	g_autoptr(GString) key = g_string_new(NULL);
	unsigned cls;

	for (const char *p = label; *p; p++) /* keys are letters and digits: greenhouse-mail */
		if (g_ascii_isalnum(*p))
			g_string_append_c(key, g_ascii_tolower(*p));
	lists_ready();
	cls = key_class(key->str);
	return cls & K_HIRING_SYSTEM ? HOST_HIRING_SYSTEM
	       : cls & K_JOB_BOARD   ? HOST_JOB_BOARD
	       : cls & K_ASSESSMENT  ? HOST_ASSESSMENT
	       : cls & K_MAILHOST    ? HOST_MAIL_PROVIDER
				     : HOST_OTHER;
}

/* Is s one of the n strings of list? */
static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* ---- keys ---- */

/* The key of a name written in words: text_company_key() of it without the words "and"
 * and "&", so that "Boll & Branch" and "Boll and Branch" agree. *ret_alt (may be NULL):
 * the key with "and" kept and "&" read as "and", when that differs, for the domain
 * "bollandbranch"; else NULL. g_free both. */
static char *name_key(const char *name, char **ret_alt)
{
	g_autoptr(GString) without = g_string_new(NULL);
	g_autoptr(GString) with = g_string_new(NULL);
	g_auto(GStrv) words = g_strsplit_set(name, " \t", -1);

	for (size_t i = 0; words[i]; i++) {
		const char *w = words[i];
		bool amp = strcmp(w, "&") == 0 || strcmp(w, "+") == 0;
		bool and = g_ascii_strcasecmp(w, "and") == 0;
		if (!amp && !and)
			g_string_append_printf(without, "%s ", w);
		g_string_append_printf(with, "%s ", amp ? "and" : w);
	}
	char *key = text_company_key(without->str);
	if (ret_alt) {
		char *alt = text_company_key(with->str);
		if (strcmp(alt, key) == 0)
			g_clear_pointer(&alt, g_free);
		*ret_alt = alt;
	}
	return key;
}

/* The key of a name glued into one word (a domain label, a mailbox): a legal form glued
 * at its end is dropped, as text_company_key() drops it as a word. g_free. */
static char *glued_key(const char *label)
{
	char *key = text_company_key(label);
	size_t n = strlen(key);

	for (size_t i = 0; i < G_N_ELEMENTS(glued_legal); i++) {
		size_t s = strlen(glued_legal[i]);
		if (n >= s + MIN_CONTAINED_KEY && strcmp(key + n - s, glued_legal[i]) == 0) {
			key[n - s] = '\0';
			break;
		}
	}
	return key;
}

/* ---- candidates ---- */

struct form {
	char *text;
	unsigned count; /* times written */
	unsigned order; /* when first seen */
	bool words;     /* written in words (not a domain or a mailbox) */
};

struct cand {
	char *key;
	char *alt;         /* the key with "and" for "&", or NULL */
	unsigned places;   /* 1 << enum place */
	unsigned mentions; /* runs of the body that write it */
	unsigned order;
	GPtrArray *forms; /* struct form * */
	bool merged;      /* its evidence went to another candidate */
	double score;
};

struct gather {
	GHashTable *by_key; /* key -> struct cand *, borrowed from cands */
	GPtrArray *cands;
	unsigned order;
	char *local;          /* the sender's local part before any '+', or NULL */
	char *domain_key;     /* the key of the sender's registrable domain label, or NULL */
	char *tenant_key;     /* the key a hiring system's address names (local or sub-domain), or NULL */
	bool sender_personal; /* the sender's local part may be a person's (not a hiring system's) */
	char *person_key;     /* the key of the display name when it is a person's, or NULL */
	guint64 prefixes[PREFIX_BITS / 64]; /* first two characters of the keys (prefix_bit) */
	size_t max_key;                     /* the length of the longest key */
	unsigned adds;                      /* names offered by the places, at most MAX_ADDS */
};

/* Frees a struct form. */
static void form_free(gpointer p)
{
	struct form *f = p;
	g_free(f->text);
	g_free(f);
}

/* Frees a struct cand and its forms. */
static void cand_free(gpointer p)
{
	struct cand *c = p;
	g_free(c->key);
	g_free(c->alt);
	g_ptr_array_unref(c->forms);
	g_free(c);
}

/* Was c written in words anywhere (not only as a domain or a mailbox)? */
static bool has_words(const struct cand *c)
{
	for (guint i = 0; i < c->forms->len; i++)
		if (((struct form *)c->forms->pdata[i])->words)
			return true;
	return false;
}

/* Counts text as a form of c (count 0: known, not yet seen written). */
static void cand_form(struct gather *g, struct cand *c, const char *text, bool words, unsigned count)
{
	for (guint i = 0; i < c->forms->len; i++) {
		struct form *f = c->forms->pdata[i];
		if (f->words == words && strcmp(f->text, text) == 0) {
			f->count += count;
			return;
		}
	}
	if (c->forms->len >= MAX_FORMS)
		return;
	struct form *f = g_new0(struct form, 1);
	f->text = g_strdup(text);
	f->count = count;
	f->order = g->order++;
	f->words = words;
	g_ptr_array_add(c->forms, f);
}

/* The candidate of key, made when new and there is room. Takes key and alt. */
static struct cand *cand_get(struct gather *g, char *key, char *alt)
{
	struct cand *c = g_hash_table_lookup(g->by_key, key);

	if (c) {
		if (!c->alt)
			c->alt = g_steal_pointer(&alt);
		g_free(key);
		g_free(alt);
		return c;
	}
	if (g->cands->len >= MAX_CANDIDATES) {
		g_free(key);
		g_free(alt);
		return NULL;
	}
	c = g_new0(struct cand, 1);
	c->key = key;
	c->alt = alt;
	c->order = g->order++;
	c->forms = g_ptr_array_new_with_free_func(form_free);
	g_ptr_array_add(g->cands, c);
	g_hash_table_insert(g->by_key, c->key, c);
	return c;
}

/* May key name the employer? tool_ok: a tool's maker (Google, Zoom, Microsoft) may be,
 * where the mail names it as the sender or the employer ("Google Staffing", "applying to
 * Google"), not where it names the tool ("Zoom", "Google Meet", a link to zoom.us). */
static bool key_allowed(const char *key, bool tool_ok)
{
	unsigned cls = key_class(key);

	if (strlen(key) < MIN_KEY || strspn(key, "0123456789") == strlen(key))
		return false;
	if (cls & K_EXCLUDED)
		return false;
	return tool_ok || !(cls & K_TOOL);
}

/* Adds a name written in words, found in place p (count: times to count the form;
 * tool_ok: as for key_allowed()). */
static void add_words(struct gather *g, const char *name, enum place p, unsigned count, bool tool_ok)
{
	if (strlen(name) > MAX_NAME_BYTES || g->adds >= MAX_ADDS)
		return;
	g->adds++;
	char *alt = NULL;
	char *key = name_key(name, &alt);

	if (!key_allowed(key, tool_ok) || (g->person_key && strcmp(key, g->person_key) == 0)) {
		g_free(key);
		g_free(alt);
		return;
	}
	struct cand *c = cand_get(g, key, alt);
	if (!c)
		return;
	c->places |= 1u << p;
	cand_form(g, c, name, true, count);
}

/* A glued name (domain label, mailbox, tenant) as it is shown: its hyphenated parts
 * capitalised, "brightwave-solar" as "Brightwave Solar". g_free. */
static char *glued_shown(const char *label)
{
	g_auto(GStrv) parts = g_strsplit_set(label, "-_.", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; parts[i]; i++) {
		if (!*parts[i])
			continue;
		if (out->len)
			g_string_append_c(out, ' ');
		g_string_append(out, parts[i]);
		out->str[out->len - strlen(parts[i])] = g_ascii_toupper(parts[i][0]);
	}
	return g_string_free(out, FALSE);
}

/* Adds a glued name (domain label, mailbox, tenant slug) found in place p. */
static void add_glued(struct gather *g, const char *label, enum place p)
{
	g_autofree char *shown = glued_shown(label);
	char *key = glued_key(shown);

	if (!key_allowed(key, false)) {
		g_free(key);
		return;
	}
	/* all generic: "staffing-agency", "recruiting" */
	g_auto(GStrv) parts = g_strsplit(shown, " ", -1);
	bool core = false;
	for (size_t i = 0; parts[i] && !core; i++)
		core = !(word_class(parts[i], strlen(parts[i])) &
			 (W_HIRING | W_EVENT | W_STOP | W_MODIFIER | W_TITLE));
	if (!core) {
		g_free(key);
		return;
	}
	struct cand *c = cand_get(g, key, NULL);
	if (!c)
		return;
	c->places |= 1u << p;
	cand_form(g, c, shown, false, 1);
}

/* ---- tokens ---- */

enum {
	TK_CAP = 1 << 0,    /* may be part of a name: capitalised, or with a capital inside */
	TK_SYMBOL = 1 << 1, /* "&" or "+" */
	TK_BREAK = 1 << 2,  /* punctuation, or a line end that ends a sentence, comes before it */
	TK_WORD = 1 << 3,   /* letters or digits */
};

struct token {
	const char *s;
	unsigned len;
	unsigned flags;
	unsigned cls; /* W_* */
};

/* Is the character at p a letter or digit? *ret_len: its length in bytes. */
static bool is_alnum_at(const char *p, const char *end, size_t *ret_len)
{
	unsigned char c = (unsigned char)*p;

	if (c < 0x80) {
		*ret_len = 1;
		return g_ascii_isalnum(c);
	}
	gunichar u = g_utf8_get_char_validated(p, end - p);
	if (u == (gunichar)-1 || u == (gunichar)-2) {
		*ret_len = 1;
		return false;
	}
	*ret_len = (size_t)(g_utf8_next_char(p) - p);
	return g_unichar_isalnum(u) || g_unichar_ismark(u);
}

/* Is the character at p (valid UTF-8) an upper-case letter? */
static bool is_upper_at(const char *p)
{
	unsigned char c = (unsigned char)*p;
	return c < 0x80 ? g_ascii_isupper(c) : g_unichar_isupper(g_utf8_get_char(p));
}

/* Does a word joiner ('.', '\'', '’', '-') at p continue the word (a letter or digit
 * after it)? *ret_len: the joiner's length. */
static bool joins_at(const char *p, const char *end, size_t *ret_len)
{
	size_t n, m;

	if (*p == '.' || *p == '\'' || *p == '-')
		n = 1;
	else if (end - p >= 3 && memcmp(p, "\u2019", 3) == 0)
		n = 3;
	else
		return false;
	*ret_len = n;
	return p + n < end && is_alnum_at(p + n, end, &m);
}

/* The length of the Unicode space (no-break space and the like) at p, or 0. */
static size_t unicode_space_at(const char *p, const char *end)
{
	if ((unsigned char)*p < 0x80)
		return 0;
	gunichar u = g_utf8_get_char_validated(p, end - p);
	if (u == (gunichar)-1 || u == (gunichar)-2 || !g_unichar_isspace(u))
		return 0;
	return (size_t)(g_utf8_next_char(p) - p);
}

/* Is the last token an initialism: single letters with dots between ("U.S", "J")? */
static bool initialism(GArray *tokens)
{
	if (tokens->len == 0)
		return false;
	const struct token *t = &g_array_index(tokens, struct token, tokens->len - 1);
	for (unsigned k = 0; k < t->len; k++)
		if ((k % 2 == 0 && !g_ascii_isupper(t->s[k])) || (k % 2 == 1 && t->s[k] != '.'))
			return false;
	return t->len % 2 == 1;
}

/* Is the word [s, end) a compound adjective, a capitalised word and a lower-case one
 * ("NYC-based", "VC-backed"), unlike a name's parts ("Coca-Cola")? */
static bool adjective_compound(const char *s, const char *end)
{
	const char *dash = NULL;
	for (const char *p = s; p < end; p++)
		if (*p == '-')
			dash = p;
	if (!dash || dash == s || dash + 1 >= end)
		return false;
	for (const char *p = dash + 1; p < end; p++)
		if (!g_ascii_islower(*p))
			return false;
	return true;
}

/* The tokens of len bytes of text. all_names: every word may be part of a name (display
 * names and captures, often lower-case). A line break ends a sentence unless the line
 * was long enough to have been wrapped. */
static GArray *tokenize(const char *text, size_t len, bool all_names)
{
	GArray *tokens = g_array_sized_new(FALSE, FALSE, sizeof(struct token), (guint)(len / 6 + 1));
	const char *p = text, *end = text + len, *line = text;
	bool brk = false;

	while (p < end) {
		size_t n;
		if (*p == '\n') {
			if (p - line < WRAP_MIN)
				brk = true;
			line = ++p;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '\r' || (n = unicode_space_at(p, end))) {
			p += *p == ' ' || *p == '\t' || *p == '\r' ? 1 : n;
			continue;
		}
		if (*p == '&' || *p == '+') {
			struct token t = { .s = p, .len = 1, .flags = TK_SYMBOL | (brk ? TK_BREAK : 0),
					   .cls = W_CONNECTOR };
			g_array_append_val(tokens, t);
			brk = false;
			p++;
			continue;
		}
		if (!is_alnum_at(p, end, &n)) {
			/* the dot after an initialism ("U.S. Patent", "J. Smith") ends no sentence */
			if (!(*p == '.' && initialism(tokens) && p + 1 < end && p[1] == ' '))
				brk = true;
			p += n;
			continue;
		}
		const char *s = p;
		bool upper = false, letter = false;
		while (p < end) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x80 && g_ascii_isalnum(c)) {
				/* the common case, without decoding */
				upper = upper || g_ascii_isupper(c);
				letter = letter || !g_ascii_isdigit(c);
				p++;
			} else if (c >= 0x80 && is_alnum_at(p, end, &n)) {
				upper = upper || is_upper_at(p);
				letter = true;
				p += n;
			} else if (joins_at(p, end, &n)) {
				p += n;
			} else {
				break;
			}
		}
		struct token t = { .s = s, .len = (unsigned)(p - s), .flags = TK_WORD | (brk ? TK_BREAK : 0) };
		if (letter && (all_names || upper) && t.len <= MAX_NAME_BYTES && !adjective_compound(s, p))
			t.flags |= TK_CAP;
		if (t.flags & TK_CAP || t.len <= 3)
			t.cls = word_class(t.s, t.len);
		g_array_append_val(tokens, t);
		brk = false;
	}
	return tokens;
}

#define TOK(a, i) (&g_array_index((a), struct token, (i)))

/* Is t the word (any case)? */
static bool tok_is(const struct token *t, const char *word)
{
	return t->len == strlen(word) && g_ascii_strncasecmp(t->s, word, t->len) == 0;
}

/* May t be a word of a name? */
static bool name_word(const struct token *t)
{
	return (t->flags & TK_CAP) && !(t->cls & W_STOP);
}

/* Is t "&", "+", or a word that joins two words of a name ("and", "of")? */
static bool connector(const struct token *t)
{
	return (t->flags & TK_SYMBOL) || (t->cls & W_CONNECTOR);
}

/* Past the run that starts at i (a name word): name words, and connectors between two. */
static size_t run_end(GArray *tokens, size_t i)
{
	size_t n = tokens->len, j = i + 1;

	while (j < n) {
		const struct token *t = TOK(tokens, j);
		if (t->flags & TK_BREAK)
			break;
		if (name_word(t) && !(t->cls & W_CONNECTOR)) {
			j++;
			continue;
		}
		if (connector(t) && j + 1 < n && name_word(TOK(tokens, j + 1)) &&
		    !(TOK(tokens, j + 1)->flags & TK_BREAK) && !connector(TOK(tokens, j + 1))) {
			j += 2;
			continue;
		}
		break;
	}
	return j;
}

/* Why a name ended before the end of its run. */
enum cut { CUT_NONE, CUT_HIRING, CUT_EVENT, CUT_TITLE };

/* The name in the run [i, j): *ret_start, *ret_end; *ret_cut says what ended it. False
 * when the run holds none: it starts with an event word, is a job title, or is all
 * hiring and department words. */
static bool name_from_run(GArray *tokens, size_t i, size_t j, size_t *ret_start, size_t *ret_end,
			  enum cut *ret_cut)
{
	size_t s = i, e, m;
	enum cut cut = CUT_NONE;

	while (s < j && (TOK(tokens, s)->cls & W_LEAD))
		s++;
	if (s >= j || (TOK(tokens, s)->cls & (W_EVENT | W_TITLE)) || connector(TOK(tokens, s)))
		return false;
	bool core = false;
	for (m = s; m < j; m++) {
		const struct token *t = TOK(tokens, m);
		/* "Talent Acquisition of Acme", "Recruiting-Team der Muster GmbH": the name
		 * starts after the connector */
		if (!core && connector(t)) {
			s = m + 1;
			continue;
		}
		if (t->cls & W_TITLE) {
			cut = CUT_TITLE;
			break;
		}
		if (t->cls & W_EVENT) {
			cut = CUT_EVENT;
			break;
		}
		if ((t->cls & W_HIRING) && core) {
			cut = CUT_HIRING;
			break;
		}
		if (!connector(t) && !(t->cls & (W_HIRING | W_MODIFIER)))
			core = true;
	}
	if (cut == CUT_TITLE)
		return false;
	e = m;
	while (e > s && connector(TOK(tokens, e - 1)))
		e--;
	if (!core || e == s || e - s > MAX_NAME_WORDS)
		return false;
	*ret_start = s;
	*ret_end = e;
	*ret_cut = cut;
	return true;
}

/* The text of tokens [s, e) as written, white space collapsed. g_free. */
static char *span_text(GArray *tokens, size_t s, size_t e)
{
	const struct token *a = TOK(tokens, s), *b = TOK(tokens, e - 1);
	GString *out = g_string_new(NULL);

	const char *end = b->s + b->len;
	for (const char *p = a->s; p < end;) {
		size_t n = unicode_space_at(p, end);
		if (g_ascii_isspace(*p) || n) {
			if (out->len && out->str[out->len - 1] != ' ')
				g_string_append_c(out, ' ');
			p += n ? n : 1;
		} else {
			g_string_append_c(out, *p++);
		}
	}
	return g_string_free(out, FALSE);
}

/* Appends the key characters of token t (as text_company_key() folds them) to key. */
static void key_append(GString *key, const struct token *t)
{
	bool ascii = true;
	for (unsigned k = 0; k < t->len && ascii; k++)
		ascii = (unsigned char)t->s[k] < 0x80;
	if (ascii) {
		for (unsigned k = 0; k < t->len; k++)
			if (g_ascii_isalnum(t->s[k]))
				g_string_append_c(key, g_ascii_tolower(t->s[k]));
		return;
	}
	g_autofree char *folded = g_utf8_casefold(t->s, t->len);
	for (const char *c = folded; *c; c++)
		if (g_ascii_isalnum(*c))
			g_string_append_c(key, *c);
}

/* Is the whole run [i, j) a hiring system, job board or tool ("Teaching Vacancies",
 * "Microsoft Teams"), whatever name is read out of it? */
static bool run_excluded(GArray *tokens, size_t i, size_t j)
{
	g_autoptr(GString) key = g_string_new(NULL);

	for (size_t k = i; k < j && k < i + MAX_NAME_WORDS; k++)
		if (!connector(TOK(tokens, k)))
			key_append(key, TOK(tokens, k));
	return key_class(key->str) & K_EXCLUDED;
}

/* ---- people ---- */

/* Is s an address, spaces and quotes around it aside? */
static bool is_address(const char *s)
{
	s += strspn(s, " \t\"'<");
	size_t n = strcspn(s, " \t\"'>");
	return memchr(s, '@', n) && s[n + strspn(s + n, " \t\"'>")] == '\0';
}

/* Is the key that of the sender's own domain or mailbox (a company writing as itself)? */
static bool sender_own(const struct gather *g, const char *key)
{
	return (g->domain_key && strcmp(key, g->domain_key) == 0) ||
	       (g->tenant_key && strcmp(key, g->tenant_key) == 0);
}

/* How surely a name must look like a person's to be taken for one. */
enum person {
	PERSON_NONE,    /* no test */
	PERSON_NAMED,   /* a given name, or the sender's mailbox */
	PERSON_DISPLAY, /* that, or unrelated to the hiring system's tenant that sent it */
	PERSON_SHAPE,   /* that, or any two to four plain capitalised words ("with Lisel Dotson") */
};

/* Do tokens [s, e) look like a person's name? One to four capitalised words, none of an
 * organisation, that do not name the sender's own domain or mailbox, and: a common given
 * name among them; or, when the sender's mailbox may be a person's, words that its local
 * part holds (dwhitcomb for Dana Whitcomb); or, for the display name of a hiring system's
 * mail that names a tenant, words that share nothing with it (a recruiter writing through
 * the system: "Nandi Hopps" <millgroupinc+...@talent.icims.com>). */
static bool looks_like_person(const struct gather *g, GArray *tokens, size_t s, size_t e, enum person mode)
{
	size_t words = 0;
	bool given = false, in_local = false, in_tenant = false;

	for (size_t i = s; i < e; i++) {
		const struct token *t = TOK(tokens, i);
		if (connector(t) || (t->cls & (W_ORG | W_HIRING | W_EVENT | W_TITLE)))
			return false;
		if (!is_upper_at(t->s))
			return false;
		bool all_upper = true, has_digit = false;
		for (unsigned k = 0; k < t->len; k++) {
			all_upper = all_upper && !g_ascii_islower(t->s[k]);
			has_digit = has_digit || g_ascii_isdigit(t->s[k]);
		}
		if (has_digit || (all_upper && t->len > 1))
			return false;
		words++;
		if (t->cls & W_GIVEN)
			given = true;
		if (t->len >= MIN_CONTAINED_KEY && t->len <= MAX_WORD) {
			char low[MAX_WORD + 1];
			for (unsigned k = 0; k < t->len; k++)
				low[k] = g_ascii_tolower(t->s[k]);
			low[t->len] = '\0';
			/* one word must start the mailbox (ruth@), one of several be in it (dwhitcomb@) */
			if (g->sender_personal && g->local)
				in_local = in_local || (e - s > 1 ? strstr(g->local, low) != NULL
								  : g_str_has_prefix(g->local, low));
			if (g->tenant_key)
				in_tenant = in_tenant || strstr(g->tenant_key, low);
		}
	}
	if (words == 0 || words > 4)
		return false;
	g_autofree char *name = span_text(tokens, s, e);
	g_autofree char *key = name_key(name, NULL);
	if (sender_own(g, key))
		return false;
	if (given || in_local || (mode == PERSON_SHAPE && words >= 2))
		return true;
	return mode == PERSON_DISPLAY && !g->sender_personal && g->tenant_key && words >= 2 && words <= 3 &&
	       !in_tenant;
}

/* ---- display name and captures ---- */

/* The part of a display name that names the sender's organisation: before " via " ("Acme
 * via SmartRecruiters"), after " on behalf of ", " at ", " @ " or " from " ("Codility on
 * behalf of Acme", "Jordan at Tern", "The Batch @ DeepLearning.AI"), without bracketed
 * notes ("[DO NOT REPLY]"). g_free. */
static char *display_part(const char *display)
{
	GString *out = g_string_new(NULL);
	int depth = 0;

	for (const char *p = display; *p; p++) {
		if (*p == '[' || *p == '(')
			depth++;
		else if ((*p == ']' || *p == ')') && depth > 0)
			depth--;
		else if (!depth)
			g_string_append_c(out, *p == '_' || *p == '"' ? ' ' : *p);
	}
	char *s = g_string_free(out, FALSE);
	g_autofree char *low = g_ascii_strdown(s, -1);
	const char *cut;
	if ((cut = strstr(low, " via ")))
		s[cut - low] = '\0';
	static const char *const afters[] = { " on behalf of ", " at ", " @ ", "@", " from " };
	for (size_t i = 0; i < G_N_ELEMENTS(afters); i++) {
		if ((cut = strstr(low, afters[i])) && (size_t)(cut - low) < strlen(s)) {
			memmove(s, s + (cut - low) + strlen(afters[i]),
				strlen(s + (cut - low) + strlen(afters[i])) + 1);
			break;
		}
	}
	return g_strstrip(s);
}

/* A display name or a rule's capture: the first name in it that is not a person's. */
static void from_label(struct gather *g, const char *label, enum place p)
{
	if (!label || !*label)
		return;
	/* a display name that is an address ("jobs@acme.com") says no more than the address */
	if (p == PLACE_DISPLAY && is_address(label))
		return;
	g_autofree char *part = p == PLACE_DISPLAY ? display_part(label) : g_strdup(label);
	g_autoptr(GArray) tokens = tokenize(part, strlen(part), true);

	for (size_t i = 0; i < tokens->len;) {
		if (!name_word(TOK(tokens, i)) || (TOK(tokens, i)->cls & W_CONNECTOR)) {
			i++;
			continue;
		}
		size_t j = run_end(tokens, i), s, e;
		enum cut cut;
		if (name_from_run(tokens, i, j, &s, &e, &cut)) {
			g_autofree char *name = span_text(tokens, s, e);
			if (run_excluded(tokens, i, j)) {
				i = j;
				continue;
			}
			if (looks_like_person(g, tokens, s, e,
					      p == PLACE_DISPLAY ? PERSON_DISPLAY : PERSON_NAMED)) {
				if (p == PLACE_DISPLAY && !g->person_key)
					g->person_key = name_key(name, NULL);
			} else {
				add_words(g, name, p, 1, p == PLACE_RULE || cut == CUT_HIRING);
				return;
			}
		}
		i = j;
	}
}

/* ---- the sender's address ---- */

struct host {
	char *label;  /* the registrable label: acme of careers.acme.co.uk; NULL when none */
	char *tenant; /* a hiring system's tenant: acme of acme.icims.com or of a board's path */
	unsigned cls; /* K_* of the label */
};

/* Frees what h holds and empties it. */
static void host_clear(struct host *h)
{
	g_free(h->label);
	g_free(h->tenant);
	memset(h, 0, sizeof(*h));
}

/* Is the host label infrastructure (www, mail, wd5), or too short to name anyone? */
static bool label_infra(const char *label)
{
	g_autofree char *key = text_company_key(label);
	return (key_class(key) & K_INFRA) || (key_class(label) & K_INFRA) || strlen(key) < MIN_KEY;
}

/* A tenant name cleaned of "careers-" and "-jobs" around it, or NULL. g_free. */
static char *tenant_clean(const char *slug)
{
	static const char *const ends[] = { "careers", "career", "jobs", "job", "recruiting", "talent", "hr" };
	char *s = g_ascii_strdown(slug, -1);

	for (size_t i = 0; i < G_N_ELEMENTS(ends); i++) {
		size_t n = strlen(ends[i]), len = strlen(s);
		if (len > n + 1 && strncmp(s, ends[i], n) == 0 && (s[n] == '-' || s[n] == '_'))
			memmove(s, s + n + 1, len - n);
		len = strlen(s);
		if (len > n + 1 && strcmp(s + len - n, ends[i]) == 0 &&
		    (s[len - n - 1] == '-' || s[len - n - 1] == '_'))
			s[len - n - 1] = '\0';
	}
	if (label_infra(s) || strlen(s) > MAX_SLUG) {
		g_free(s);
		return NULL;
	}
	return s;
}

/* The path segment of a link that names a tenant (acme of boards.greenhouse.io/acme/jobs/1),
 * or NULL; of a LinkedIn link, only a company page's (linkedin.com/company/acme). g_free. */
static char *path_tenant(const char *path, bool company_page)
{
	static const char *const skip[] = {
		"embed", "job", "jobs", "j", "o", "v1", "v2", "api", "en", "en-us", "en-gb", "careers",
		"apply",
	};

	for (int hop = 0; path && hop < 3; hop++) {
		while (*path == '/')
			path++;
		size_t n = strcspn(path, "/?#");
		if (n == 0 || n > MAX_SLUG)
			return NULL;
		g_autofree char *seg = g_strndup(path, n);
		if (company_page) {
			if (hop == 0 && g_ascii_strcasecmp(seg, "company") != 0)
				return NULL;
		} else if (!in_list(seg, skip, G_N_ELEMENTS(skip))) {
			for (const char *c = seg; *c; c++)
				if (!g_ascii_isalnum(*c) && *c != '-' && *c != '_' && *c != '.')
					return NULL;
			return tenant_clean(seg);
		}
		if (company_page && hop == 1)
			return tenant_clean(seg);
		path += n;
		if (*path != '/')
			return NULL;
	}
	return NULL;
}

/* Reads a host name (any case) and, for a link, its path (NULL for a mail domain). */
static void host_parse(const char *host, size_t len, const char *path, struct host *ret)
{
	g_autofree char *low = g_ascii_strdown(host, (gssize)len);
	g_auto(GStrv) labels = NULL;
	guint n;

	memset(ret, 0, sizeof(*ret));
	while (*low && low[strlen(low) - 1] == '.')
		low[strlen(low) - 1] = '\0';
	labels = g_strsplit(low, ".", MAX_HOST_LABELS + 1);
	n = g_strv_length(labels);
	if (n < 2 || n > MAX_HOST_LABELS)
		return;
	guint reg = n - 2;
	if (n >= 3 && strlen(labels[n - 1]) == 2 &&
	    in_list(labels[n - 2], country_seconds, G_N_ELEMENTS(country_seconds))) {
		/* acme.co.uk; and a service of a government: teaching-vacancies.service.gov.uk */
		reg = n - 3;
		while (reg > 0 && label_infra(labels[reg]))
			reg--;
	}
	if (!*labels[reg] || (reg == 0 && n > 2 && label_infra(labels[reg])))
		return;
	ret->label = g_strdup(labels[reg]);
	g_autofree char *key = text_company_key(ret->label);
	ret->cls = key_class(key);
	for (size_t i = 0; i < G_N_ELEMENTS(board_prefixes); i++)
		if (g_str_has_prefix(key, board_prefixes[i]))
			ret->cls |= K_EXCLUDED;
	if ((ret->cls & K_PATH_TENANT) && path)
		ret->tenant = path_tenant(path, strcmp(key, "linkedin") == 0);
	/* a mail domain's sub-domain (acme.greenhouse-mail.io), a link's where the system
	 * puts its tenants there */
	if (!ret->tenant && (ret->cls & K_HIRING_SYSTEM) && (!path || (ret->cls & K_SUB_TENANT)))
		for (guint i = reg; !ret->tenant && i-- > 0;)
			if (!label_infra(labels[i]))
				ret->tenant = tenant_clean(labels[i]);
}

/* Is the word a generated id (fd44802f8d738a1a, a258e23f1d), not a name? */
static bool looks_like_id(const char *word)
{
	size_t digits = 0, n = strlen(word);
	for (size_t i = 0; i < n; i++)
		digits += g_ascii_isdigit(word[i]) != 0;
	return digits >= MIN_ID_DIGITS && n >= MIN_ID_LENGTH;
}

/* The mailbox name of a hiring system's address (trellix of trellix@myworkday.com,
 * baesystems of BAESystemsTalent@...), or NULL. g_free. */
static char *local_tenant(const char *local)
{
	g_auto(GStrv) parts = g_strsplit_set(local, "._-", -1);
	GString *out = g_string_new(NULL);

	for (size_t i = 0; parts[i]; i++)
		if (*parts[i] && !in_list(parts[i], local_noise, G_N_ELEMENTS(local_noise)) &&
		    !looks_like_id(parts[i]))
			g_string_append_printf(out, "%s%s", out->len ? "-" : "", parts[i]);
	for (size_t i = 0; i < G_N_ELEMENTS(local_suffixes); i++) {
		size_t n = strlen(local_suffixes[i]);
		if (out->len >= n + MIN_CONTAINED_KEY &&
		    strcmp(out->str + out->len - n, local_suffixes[i]) == 0) {
			g_string_truncate(out, out->len - n);
			break;
		}
	}
	while (out->len && out->str[out->len - 1] == '-')
		g_string_truncate(out, out->len - 1);
	if (out->len < MIN_KEY || strspn(out->str, "0123456789-") == out->len) {
		g_string_free(out, TRUE);
		return NULL;
	}
	return g_string_free(out, FALSE);
}

/* The sender's address: its domain, and a hiring system's tenant in the mailbox or the
 * sub-domain. Sets what the other places need to know of the sender. */
static void from_address(struct gather *g, const char *address)
{
	const char *at = address ? strrchr(address, '@') : NULL;
	struct host h;

	g->sender_personal = true;
	if (!at)
		return;
	g->local = g_strndup(address, (gsize)(at - address));
	char *plus = strchr(g->local, '+');
	if (plus)
		*plus = '\0';
	for (char *c = g->local; *c; c++)
		*c = g_ascii_tolower(*c);
	host_parse(at + 1, strlen(at + 1), NULL, &h);
	if (!h.label) {
		host_clear(&h);
		return;
	}
	if (h.cls & K_HIRING_SYSTEM) {
		g->sender_personal = false;
		g_autofree char *tenant = local_tenant(g->local);
		if (tenant) {
			add_glued(g, tenant, PLACE_LOCAL);
			g->tenant_key = glued_key(tenant);
		}
		if (h.tenant) {
			add_glued(g, h.tenant, PLACE_DOMAIN);
			if (!g->tenant_key)
				g->tenant_key = glued_key(h.tenant);
		}
	} else if (!(h.cls & (K_EXCLUDED | K_MAILHOST | K_TOOL))) {
		add_glued(g, h.label, PLACE_DOMAIN);
		g->domain_key = glued_key(h.label);
	} else if ((h.cls & K_EXCLUDED) && !(h.cls & K_MAILHOST)) {
		g->sender_personal = false; /* a job board's mailbox */
	}
	host_clear(&h);
}

/* ---- triggers ---- */

enum { TRIG_PERSON = 1 << 0 /* a person may be named there: test for one */ };

struct trigger {
	const char *phrase; /* the words just before the name, space-separated */
	unsigned flags;
};

/* Phrases after which a hiring mail writes its employer. */
static const struct trigger before_body[] = {
	{ "interest in", 0 }, { "interested in", 0 }, { "applying to", 0 }, { "applying at", 0 },
	{ "applying with", 0 }, { "applied to", 0 }, { "applied at", 0 }, { "applied with", 0 },
	{ "apply to", 0 }, { "apply at", 0 }, { "application to", 0 }, { "application with", 0 },
	{ "application at", 0 }, { "applications to", 0 }, { "career at", 0 }, { "career with", 0 },
	{ "careers at", 0 }, { "position at", 0 }, { "position with", 0 }, { "role at", 0 },
	{ "role with", 0 }, { "opening at", 0 }, { "openings at", 0 }, { "opening with", 0 },
	{ "opportunity at", 0 }, { "opportunity with", 0 }, { "opportunities at", 0 },
	{ "opportunities with", 0 }, { "job at", 0 }, { "job with", 0 }, { "jobs at", 0 },
	{ "employment with", 0 }, { "employment at", 0 }, { "work at", 0 }, { "work for", 0 },
	{ "working at", 0 }, { "working for", 0 }, { "join", 0 }, { "joining", 0 }, { "welcome to", 0 },
	{ "here at", 0 }, { "team at", 0 }, { "everyone at", 0 }, { "us at", 0 }, { "behalf of", 0 },
	{ "interview with", 0 }, { "interviewing with", 0 }, { "interviews with", 0 }, { "offer from", 0 },
	{ "candidacy at", 0 }, { "candidacy with", 0 }, { "hiring at", 0 }, { "recruiter at", 0 },
	{ "recruiter for", 0 }, { "recruiter with", 0 }, { "considering", 0 }, { "time with", 0 },
	{ "hired by", 0 }, { "company is", 0 }, { "my company", 0 }, { "client is", 0 }, { "roles at", 0 },
	{ "team of", 0 }, { "called", 0 }, { "named", 0 }, { "submitted to", 0 }, { "sent to", 0 },
	{ "bewerbung bei", 0 }, { "bewerbung bei der", 0 }, { "candidature chez", 0 },
	/* the weaker ones last: the first phrase that matches decides */
	{ "at", TRIG_PERSON }, { "with", TRIG_PERSON }, { "from", TRIG_PERSON }, { "invited by", TRIG_PERSON },
	{ "bei", TRIG_PERSON }, { "bei der", TRIG_PERSON }, { "chez", TRIG_PERSON },
};

/* Phrases of a subject after which it names the employer. */
static const struct trigger before_subject[] = {
	{ "at", 0 }, { "to", 0 }, { "with", TRIG_PERSON }, { "from", TRIG_PERSON }, { "on", 0 },
	{ "interest in", 0 }, { "join", 0 }, { "joining", 0 }, { "by", TRIG_PERSON },
};

/* Phrases after a name that make it the employer ("Acme is an equal opportunity employer"). */
static const char *const after_name[][MAX_TRIGGER] = {
	{ "is", "an", "equal" }, { "is", "an", "eoe" }, { "is", "an", "affirmative" }, { "is", "proud" },
	{ "is", "committed" }, { "is", "hiring" }, { "is", "growing" }, { "is", "looking" },
	{ "is", "seeking" }, { "is", "a", "leading" }, { "is", "a", "global" }, { "is", "excited" },
	{ "provides", "equal" }, { "team" }, { "hiring", "team" }, { "recruiting", "team" },
	{ "talent", "team" }, { "people", "team" }, { "family" }, { "has", "invited" }, { "invites", "you" },
	{ "would", "like" }, { "is", "pleased" },
};

/* A trigger phrase cut into its words, once. */
struct phrase {
	const char *words[MAX_TRIGGER];
	size_t lens[MAX_TRIGGER];
	size_t n;
	unsigned flags;
};

static struct phrase body_phrases[G_N_ELEMENTS(before_body)];
static struct phrase subject_phrases[G_N_ELEMENTS(before_subject)];

/* Cuts the n phrases of list into out, and marks their last words in the word table. */
static void phrases_cut(const struct trigger *list, size_t n, struct phrase *out)
{
	for (size_t i = 0; i < n; i++) {
		out[i].flags = list[i].flags;
		for (const char *p = list[i].phrase; *p && out[i].n < MAX_TRIGGER;) {
			size_t len = strcspn(p, " ");
			out[i].words[out[i].n] = p;
			out[i].lens[out[i].n++] = len;
			p += len;
			while (*p == ' ')
				p++;
		}
		/* the last word marks the tokens worth trying the phrases at */
		g_autofree char *last = g_strndup(out[i].words[out[i].n - 1], out[i].lens[out[i].n - 1]);
		gpointer key = NULL, bits = NULL;
		if (g_hash_table_lookup_extended(word_table, last, &key, &bits))
			g_hash_table_insert(word_table, key,
					    GUINT_TO_POINTER(GPOINTER_TO_UINT(bits) | W_TRIGGER));
		else /* the table keeps it as long as the process lives */
			g_hash_table_insert(word_table, g_steal_pointer(&last), GUINT_TO_POINTER(W_TRIGGER));
	}
}

/* Cuts every trigger phrase into words. */
static gpointer phrases_init(gpointer unused)
{
	(void)unused;
	phrases_cut(before_body, G_N_ELEMENTS(before_body), body_phrases);
	phrases_cut(before_subject, G_N_ELEMENTS(before_subject), subject_phrases);
	return NULL;
}

/* Cuts the phrases once, after the word table is built (it marks their last words). */
static void phrases_ready(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, phrases_init, NULL);
}

/* Does the phrase end just before token i? */
static bool phrase_before(GArray *tokens, size_t i, const struct phrase *t)
{
	if (i < t->n)
		return false;
	for (size_t k = 0; k < t->n; k++) {
		const struct token *w = TOK(tokens, i - t->n + k);
		if (w->len != t->lens[k] || g_ascii_strncasecmp(w->s, t->words[k], t->lens[k]) != 0)
			return false;
		/* nothing between the phrase's words, nor between it and the name */
		if (TOK(tokens, i - t->n + k + 1)->flags & TK_BREAK)
			return false;
	}
	return true;
}

/* The phrase of list that ends just before token i (an optional "the" between), or NULL. */
static const struct phrase *find_before(GArray *tokens, size_t i, const struct phrase *list, size_t n)
{
	if (i > 0 && tok_is(TOK(tokens, i - 1), "the") && !(TOK(tokens, i)->flags & TK_BREAK) &&
	    !tok_is(TOK(tokens, i), "the"))
		i--;
	if (i == 0 || !(word_class(TOK(tokens, i - 1)->s, TOK(tokens, i - 1)->len) & W_TRIGGER))
		return NULL;
	for (size_t k = 0; k < n; k++)
		if (phrase_before(tokens, i, &list[k]))
			return &list[k];
	return NULL;
}

/* Does a phrase of after_name start at token j (the token after a name)? */
static bool trigger_after(GArray *tokens, size_t j)
{
	for (size_t k = 0; k < G_N_ELEMENTS(after_name); k++) {
		size_t m = 0;
		while (m < MAX_TRIGGER && after_name[k][m] && j + m < tokens->len &&
		       !(TOK(tokens, j + m)->flags & TK_BREAK) &&
		       tok_is(TOK(tokens, j + m), after_name[k][m]))
			m++;
		if (m == MAX_TRIGGER || (m > 0 && !after_name[k][m]))
			return true;
	}
	return false;
}

/* Is the name [s, e) a position, not an employer: "interest in the Disponent position"? */
static bool position_follows(GArray *tokens, size_t s, size_t e)
{
	static const char *const nouns[] = {
		"position", "role", "opening", "job", "vacancy", "posting", "post",
	};
	if (e >= tokens->len || (TOK(tokens, e)->flags & TK_BREAK) || s == 0)
		return false;
	for (size_t k = 0; k < G_N_ELEMENTS(nouns); k++)
		if (tok_is(TOK(tokens, e), nouns[k]))
			return tok_is(TOK(tokens, s - 1), "the") || tok_is(TOK(tokens, s - 1), "our") ||
			       tok_is(TOK(tokens, s - 1), "a") || tok_is(TOK(tokens, s - 1), "an") ||
			       tok_is(TOK(tokens, s - 1), "this");
	return false;
}

/* Is the run [i, j) followed by ", Inc" or does it end with a legal form? */
static bool legal_form(GArray *tokens, size_t i, size_t j)
{
	if (j > i + 1 && (TOK(tokens, j - 1)->cls & W_LEGAL) && (TOK(tokens, j - 1)->flags & TK_CAP))
		return true;
	if (j < tokens->len && (TOK(tokens, j)->flags & TK_BREAK) && (TOK(tokens, j)->cls & W_LEGAL) &&
	    (TOK(tokens, j)->flags & TK_CAP)) {
		/* "Simventions, Inc": the comma and a space only */
		const char *prev_end = TOK(tokens, j - 1)->s + TOK(tokens, j - 1)->len;
		return TOK(tokens, j)->s - prev_end <= 2 && *prev_end == ',';
	}
	return false;
}

/* ---- subject and body ---- */

/* The subject without "Re:", "Fwd:" and "[EXTERNAL]" in front. Borrowed from subject. */
static const char *subject_rest(const char *subject)
{
	static const char *const prefixes[] = {
		"re:", "fwd:", "fw:", "aw:", "wg:", "sv:", "tr:", "antw:", "[external]", "[ext]",
		"(external)", "external:", "[spam]", "invitation:", "updated invitation:", "accepted:",
		"declined:", "tentative:",
	};
	bool again = true;

	while (again) {
		again = false;
		while (*subject == ' ' || *subject == '\t')
			subject++;
		for (size_t i = 0; i < G_N_ELEMENTS(prefixes); i++) {
			size_t n = strlen(prefixes[i]);
			if (g_ascii_strncasecmp(subject, prefixes[i], n) == 0) {
				subject += n;
				again = true;
			}
		}
	}
	return subject;
}

/* Does a word of tokens [s, e) have one of the classes? */
static bool has_class(GArray *tokens, size_t s, size_t e, unsigned cls)
{
	for (size_t k = s; k < e; k++)
		if (TOK(tokens, k)->cls & cls)
			return true;
	return false;
}

/* Is every word before token i of generic words only ("Application Update", "Interview
 * Invitation", "Thank you"), with a break at i? */
static bool generic_head(GArray *tokens, size_t i)
{
	if (i == 0)
		return false;
	for (size_t k = 0; k < i; k++) {
		const struct token *t = TOK(tokens, k);
		if (!(word_class(t->s, t->len) & (W_EVENT | W_HIRING | W_STOP | W_TITLE | W_MODIFIER)))
			return false;
	}
	return true;
}

/* Adds the name [s, e) unless it is a person's where one may be named. */
static void add_run_name(struct gather *g, GArray *tokens, size_t s, size_t e, enum place p, enum person test,
			 bool tool_ok)
{
	if (test != PERSON_NONE && looks_like_person(g, tokens, s, e, test))
		return;
	g_autofree char *name = span_text(tokens, s, e);
	add_words(g, name, p, 0, tool_ok);
}

/* Runs of a subject or body, and the patterns around them that name the employer. */
static void from_runs(struct gather *g, GArray *tokens, enum place p)
{
	const struct phrase *list = p == PLACE_SUBJECT ? subject_phrases : body_phrases;
	size_t nlist = p == PLACE_SUBJECT ? G_N_ELEMENTS(subject_phrases) : G_N_ELEMENTS(body_phrases);

	for (size_t i = 0; i < tokens->len && g->adds < MAX_ADDS;) {
		const struct token *t = TOK(tokens, i);
		if (!name_word(t) || connector(t)) {
			i++;
			continue;
		}
		size_t j = run_end(tokens, i), s, e;
		enum cut cut;
		if (!name_from_run(tokens, i, j, &s, &e, &cut)) {
			i = j;
			continue;
		}
		if (run_excluded(tokens, i, j)) {
			i = j;
			continue;
		}
		const struct phrase *before = find_before(tokens, i, list, nlist);
		const struct token *next = j < tokens->len ? TOK(tokens, j) : NULL;
		bool generic_next = next && !(next->flags & TK_BREAK) &&
				    (word_class(next->s, next->len) & (W_EVENT | W_HIRING | W_TITLE));
		if (before && !position_follows(tokens, s, e)) {
			bool strong = !(before->flags & TRIG_PERSON);
			add_run_name(g, tokens, s, e, p, strong ? PERSON_NONE : PERSON_SHAPE,
				     strong && p == PLACE_SUBJECT);
		} else if (p == PLACE_SUBJECT && i == 0) {
			/* the head of a subject: "Acme - Interview", "Peraton Application Update";
			 * a lone word must be followed by a hiring word, a separator or nothing
			 * ("Framing could be fun" names nothing) */
			bool ends = !next || (next->flags & TK_BREAK) || cut != CUT_NONE;
			const struct token *w = TOK(tokens, s);
			bool marked = e - s >= 2 || (w->len > 1 && !g_ascii_islower(w->s[1]));
			if (ends || generic_next || marked)
				add_run_name(g, tokens, s, e, p, PERSON_NAMED, false);
		} else if (p == PLACE_SUBJECT && (t->flags & TK_BREAK) &&
			   (cut == CUT_EVENT || cut == CUT_HIRING || generic_next ||
			    has_class(tokens, s, e, W_ORG) ||
			    (j == tokens->len && generic_head(tokens, i)))) {
			/* the head of a later part of a subject: "... - Millennium Corporation",
			 * "Application Update | Acme" */
			add_run_name(g, tokens, s, e, p, PERSON_NAMED, false);
		} else if ((cut == CUT_HIRING && !tok_is(TOK(tokens, e), "jobs") &&
			    !tok_is(TOK(tokens, e), "job")) ||
			   trigger_after(tokens, e) || legal_form(tokens, i, j)) {
			/* "Acme Talent Acquisition", "Acme is an equal opportunity employer", "Acme, Inc." */
			add_run_name(g, tokens, s, e, p, PERSON_NONE, false);
		}
		i = j;
	}
}

/* A subject's "[Acme] Your application": the bracketed name. */
static void from_subject_tag(struct gather *g, const char *subject)
{
	const char *open = strchr(subject, '['), *close = open ? strchr(open, ']') : NULL;

	if (!open || !close || close - open > MAX_NAME_BYTES)
		return;
	g_autofree char *inner = g_strndup(open + 1, (gsize)(close - open - 1));
	g_autoptr(GArray) tokens = tokenize(inner, strlen(inner), false);
	size_t s, e;
	enum cut cut;
	if (tokens->len && name_word(TOK(tokens, 0)) && run_end(tokens, 0) == tokens->len &&
	    name_from_run(tokens, 0, tokens->len, &s, &e, &cut))
		add_run_name(g, tokens, s, e, PLACE_SUBJECT, PERSON_NAMED, false);
}

/* Is the line (without its end) a closing: "Best regards," or "Thank you, Dana"? Sets
 * *ret_rest to what follows a comma on it. */
static bool closing_line(const char *line, size_t n, const char **ret_rest)
{
	char low[MAX_SIGNATURE_LINE + 1];
	size_t k = 0;

	while (n && g_ascii_isspace(*line)) {
		line++;
		n--;
	}
	if (n == 0 || n > MAX_SIGNATURE_LINE)
		return false;
	for (; k < n; k++)
		low[k] = g_ascii_tolower(line[k]);
	low[k] = '\0';
	g_strchomp(low);
	if (strcmp(low, "--") == 0) { /* the signature separator */
		*ret_rest = NULL;
		return true;
	}
	const char *comma = strchr(low, ',');
	size_t head = comma ? (size_t)(comma - low) : n;
	while (head && strchr(" .!-\r", low[head - 1]))
		head--;
	for (size_t i = 0; i < G_N_ELEMENTS(closings); i++) {
		if (strlen(closings[i]) == head && strncmp(low, closings[i], head) == 0) {
			*ret_rest = comma ? line + (comma - low) + 1 : NULL;
			return true;
		}
	}
	return false;
}

/* One line of a signature: the first part of it that is all one name, not a person's and
 * not a title ("Tern Robotics", "Recruiter | Acme Corp"). Returns true when it added one. */
static bool signature_line(struct gather *g, const char *line, size_t n, enum person test)
{
	g_autoptr(GArray) tokens = tokenize(line, n, false);

	for (size_t i = 0; i < tokens->len;) {
		/* a part: the tokens up to the next punctuation */
		size_t j = i + 1;
		while (j < tokens->len && !(TOK(tokens, j)->flags & TK_BREAK))
			j++;
		size_t s, e;
		enum cut cut;
		if (name_word(TOK(tokens, i)) && run_end(tokens, i) == j &&
		    name_from_run(tokens, i, j, &s, &e, &cut) && !looks_like_person(g, tokens, s, e, test)) {
			add_run_name(g, tokens, s, e, PLACE_BODY, PERSON_NONE, false);
			return true;
		}
		i = j;
	}
	return false;
}

/* Does the line name a job title ("Recruiter", "Talent Acquisition Partner")? */
static bool title_line(const char *line, size_t n)
{
	g_autoptr(GArray) tokens = tokenize(line, n, false);
	return has_class(tokens, 0, tokens->len, W_TITLE);
}

/* Signatures after closings: the company line under the name and the title. */
static void from_signatures(struct gather *g, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	unsigned blocks = 0;

	while (p < end && blocks < MAX_SIGNATURES && g->adds < MAX_ADDS) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = nl ? nl : end, *rest = NULL;
		if (*p != '>' && (size_t)(line_end - p) <= MAX_SIGNATURE_LINE &&
		    memchr(p, '|', (size_t)(line_end - p)) && title_line(p, (size_t)(line_end - p))) {
			/* "Dana Scully | Recruiter | Hooli": a signature without a closing */
			signature_line(g, p, (size_t)(line_end - p), PERSON_SHAPE);
		} else if (*p != '>' && closing_line(p, (size_t)(line_end - p), &rest)) {
			blocks++;
			/* the first line is most often the signer's name: any plain name there is one */
			int lines = 0;
			bool found = false;
			while (rest && rest < line_end && g_ascii_isspace(*rest))
				rest++;
			if (rest && rest < line_end)
				found = signature_line(g, rest, (size_t)(line_end - rest),
						       lines++ ? PERSON_NAMED : PERSON_SHAPE);
			const char *q = nl ? nl + 1 : end;
			while (!found && q < end && lines < SIGNATURE_LINES) {
				const char *qe = memchr(q, '\n', (size_t)(end - q));
				size_t qn = qe ? (size_t)(qe - q) : (size_t)(end - q);
				g_autofree char *l = g_strndup(q, qn);
				g_strstrip(l);
				q = qe ? qe + 1 : end;
				if (!*l)
					continue;
				if (strlen(l) > MAX_SIGNATURE_LINE || strpbrk(l, "0123456789"))
					break; /* prose, or the address and phone lines under the company */
				enum person test = lines++ ? PERSON_NAMED : PERSON_SHAPE;
				if (strchr(l, '@') || strstr(l, "://") || strstr(l, "www."))
					continue;
				found = signature_line(g, l, strlen(l), test);
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/* ---- links ---- */

/* The links' registrable domains (careers.trellix.com: trellix) and hiring systems'
 * tenants (boards.greenhouse.io/acme), except social sites, shorteners, trackers, tools. */
static void from_links(struct gather *g, char *const *links)
{
	for (size_t i = 0; links && links[i]; i++) {
		const char *u = strstr(links[i], "://");
		if (!u)
			continue;
		u += 3;
		size_t n = strcspn(u, "/?#");
		const char *at = memchr(u, '@', n);
		if (at) {
			n -= (size_t)(at + 1 - u);
			u = at + 1;
		}
		size_t host_len = strcspn(u, ":/?#");
		if (host_len > n)
			host_len = n;
		struct host h;
		host_parse(u, host_len, u + n, &h);
		if (h.tenant)
			add_glued(g, h.tenant, PLACE_LINK);
		else if (h.label && !(h.cls & (K_EXCLUDED | K_NO_LINK | K_MAILHOST | K_TOOL |
					       K_HIRING_SYSTEM | K_PATH_TENANT)))
			add_glued(g, h.label, PLACE_LINK);
		host_clear(&h);
	}
}

/* ---- mentions ---- */

/* The bit of a key's first two characters in struct gather's prefixes. */
static unsigned prefix_bit(const char *key)
{
	return ((unsigned char)key[0] * 31u + (unsigned char)key[1]) % PREFIX_BITS;
}

/* Notes the first two characters and the length of every candidate's keys, so that the
 * count of mentions tries only the words that may start one. */
static void prefixes_note(struct gather *g)
{
	memset(g->prefixes, 0, sizeof(g->prefixes));
	g->max_key = 0;
	for (guint i = 0; i < g->cands->len; i++) {
		const struct cand *c = g->cands->pdata[i];
		const char *keys[] = { c->key, c->alt };
		for (size_t k = 0; k < G_N_ELEMENTS(keys); k++) {
			if (!keys[k] || strlen(keys[k]) < MIN_KEY)
				continue;
			unsigned bit = prefix_bit(keys[k]);
			g->prefixes[bit / 64] |= (guint64)1 << (bit % 64);
			g->max_key = MAX(g->max_key, strlen(keys[k]));
		}
	}
}

/* Counts, for every candidate, the runs of tokens that write it and how. Runs longer than
 * MAX_RUN (tables, lists of names, shouting) are not read. */
static void count_mentions(struct gather *g, GArray *tokens, bool body)
{
	g_autoptr(GString) key = g_string_new(NULL);
	g_autoptr(GString) alt = g_string_new(NULL);

	for (size_t i = 0; i < tokens->len;) {
		if (!name_word(TOK(tokens, i)) || connector(TOK(tokens, i))) {
			i++;
			continue;
		}
		size_t j = run_end(tokens, i);
		for (size_t s = i; s < j && j - i <= MAX_RUN; s++) {
			if (connector(TOK(tokens, s)))
				continue;
			g_string_truncate(key, 0);
			g_string_truncate(alt, 0);
			bool has_and = false;
			struct cand *hit = NULL;
			size_t hit_end = 0, plain = 0;
			for (size_t e = s; e < j && e < s + MAX_NAME_WORDS; e++) {
				const struct token *t = TOK(tokens, e);
				if (connector(t) && (t->flags & TK_SYMBOL || tok_is(t, "and"))) {
					g_string_append(alt, "and");
					has_and = true;
					continue;
				}
				/* "ARES Corporation" writes the key ares, as text_company_key() drops
				 * the legal form */
				bool legal = e > s && (t->cls & W_LEGAL);
				key_append(key, t);
				key_append(alt, t);
				if (!legal)
					plain = key->len;
				if (key->len > g->max_key + LEGAL_SLACK)
					break;
				if (key->len >= MIN_KEY && e == s) {
					unsigned bit = prefix_bit(key->str);
					if (!(g->prefixes[bit / 64] & ((guint64)1 << (bit % 64))))
						break;
				}
				struct cand *c = NULL;
				if (legal) {
					g_autofree char *base = g_strndup(key->str, plain);
					c = g_hash_table_lookup(g->by_key, base);
				} else if (key->len >= MIN_KEY) {
					c = g_hash_table_lookup(g->by_key, key->str);
				}
				if (!c && has_and)
					c = g_hash_table_lookup(g->by_key, alt->str);
				if (c) {
					hit = c;
					hit_end = e + 1;
				}
			}
			/* the longest name written from here is the one written */
			if (!hit)
				continue;
			if (body)
				hit->mentions++;
			g_autofree char *text = span_text(tokens, s, hit_end);
			cand_form(g, hit, text, true, 1);
			s = hit_end - 1;
		}
		i = j;
	}
}

/* ---- merging and scoring ---- */

/* The form c is shown in: the one written most often, words before domains. */
static const struct form *best_form(const struct cand *c)
{
	const struct form *best = NULL;

	for (guint i = 0; i < c->forms->len; i++) {
		const struct form *f = c->forms->pdata[i];
		if (!best || (f->words && !best->words) ||
		    (f->words == best->words &&
		     (f->count > best->count || (f->count == best->count && f->order < best->order))))
			best = f;
	}
	return best;
}

/* The sum of the weights of the places that named c, and a little for each mention. */
static double cand_score(const struct cand *c)
{
	double score = 0;

	for (int p = 0; p < PLACE_COUNT; p++)
		if (c->places & (1u << p))
			score += places[p].weight;
	return score + MIN(MENTION_CAP, MENTION_WEIGHT * c->mentions);
}

/* Moves the evidence of from into into. */
static void merge_into(struct gather *g, struct cand *into, struct cand *from)
{
	into->places |= from->places;
	into->mentions += from->mentions;
	for (guint i = 0; i < from->forms->len; i++) {
		const struct form *f = from->forms->pdata[i];
		/* the fuller name's own forms are the ones to show; a domain's form is kept
		 * only while into has no words */
		if (!f->words || !has_words(into))
			cand_form(g, into, f->text, f->words, f->count);
	}
	from->merged = true;
	into->score = cand_score(into);
}

/* Is key a in the words of b's best written form, in order, with words left over
 * ("core" in "Talent Core Corporation", "tern" in "Tern Robotics")? */
static bool key_in_words(const char *a, const struct cand *b)
{
	const struct form *f = best_form(b);
	if (!f || !f->words)
		return false;
	g_auto(GStrv) words = g_strsplit_set(f->text, " ,", -1);
	size_t pos = 0, len = strlen(a), used = 0, total = 0;
	for (size_t i = 0; words[i]; i++) {
		g_autofree char *k = text_company_key(words[i]);
		if (!*k)
			continue;
		total++;
		size_t n = strlen(k);
		if (pos < len && strncmp(a + pos, k, n) == 0 && pos + n <= len) {
			pos += n;
			used++;
		}
	}
	return pos == len && used < total;
}

/* Are the characters of a in b, in order (a cheap test before key_in_words())? */
static bool chars_in_order(const char *a, const char *b)
{
	for (; *a && *b; b++)
		if (*a == *b)
			a++;
	return *a == '\0';
}

/* Highest score first, then first seen. */
static gint by_score(gconstpointer pa, gconstpointer pb)
{
	const struct cand *a = *(struct cand *const *)pa, *b = *(struct cand *const *)pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return a->order < b->order ? -1 : a->order > b->order;
}

/* Merges candidates that are one employer: equal keys but for "and" ("Boll & Branch",
 * bollandbranch); a shorter name inside a fuller one the mail writes ("Core
 * Corporation" in "Talent Core Corporation", the domain "tern" in "Tern Robotics"); a
 * domain that extends a written name (ecstech of "ECS"). */
static void merge(struct gather *g)
{
	g_autoptr(GPtrArray) top = g_ptr_array_new();

	for (guint i = 0; i < g->cands->len; i++) {
		struct cand *c = g->cands->pdata[i];
		c->score = cand_score(c);
		g_ptr_array_add(top, c);
	}
	g_ptr_array_sort(top, by_score);
	if (top->len > MAX_MERGE)
		g_ptr_array_set_size(top, MAX_MERGE);

	for (guint i = 0; i < top->len; i++) {
		struct cand *a = top->pdata[i];
		for (guint k = 0; k < top->len && !a->merged; k++) {
			struct cand *b = top->pdata[k];
			if (a == b || b->merged)
				continue;
			if ((a->alt && strcmp(a->alt, b->key) == 0) ||
			    (b->alt && strcmp(b->alt, a->key) == 0)) {
				if (has_words(a) && !has_words(b))
					merge_into(g, a, b);
				else
					merge_into(g, b, a);
			}
		}
	}
	/* containment: each name into the best fuller name that holds it, or a domain that
	 * extends a written name into that name */
	for (guint i = 0; i < top->len; i++) {
		struct cand *a = top->pdata[i];
		if (a->merged || strlen(a->key) < MIN_CONTAINED_KEY)
			continue;
		struct cand *into = NULL;
		for (guint k = 0; k < top->len; k++) {
			struct cand *b = top->pdata[k];
			if (b == a || b->merged || strlen(b->key) <= strlen(a->key))
				continue;
			bool written_b = has_words(b), written_a = has_words(a);
			size_t la = strlen(a->key), lb = strlen(b->key);
			if (written_b && chars_in_order(a->key, b->key) && key_in_words(a->key, b)) {
				if (!into || b->score > into->score)
					into = b;
			} else if (!written_b && written_a &&
				   (strncmp(b->key, a->key, la) == 0 ||
				    strcmp(b->key + lb - la, a->key) == 0)) {
				/* the domain ecstech for the written ECS: a's name, b's evidence */
				merge_into(g, a, b);
			}
		}
		if (into)
			merge_into(g, into, a);
	}
}

/* ---- API ---- */

/* Best first: by score, then by the number of places that named it (a stable sort keeps
 * the order in which the places were read for the rest). */
static gint by_candidate(gconstpointer pa, gconstpointer pb)
{
	const struct company_candidate *a = *(struct company_candidate *const *)pa;
	const struct company_candidate *b = *(struct company_candidate *const *)pb;

	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	size_t na = 0, nb = 0;
	for (const char *c = a->from; *c; c++)
		na += *c == ',';
	for (const char *c = b->from; *c; c++)
		nb += *c == ',';
	return na > nb ? -1 : na < nb;
}

/* Frees a struct company_candidate. */
static void candidate_free(gpointer p)
{
	struct company_candidate *c = p;
	g_free(c->name);
	g_free(c->from);
	g_free(c);
}

/* The display form of c: its best form, a glued one capitalised. g_free. */
static char *shown_name(const struct cand *c)
{
	const struct form *f = best_form(c);
	return g_strdup(f ? f->text : c->key);
}

GPtrArray *company_candidates(const struct mime_message *m, const char *const *rule_captures)
{
	struct gather g = { .by_key = g_hash_table_new(g_str_hash, g_str_equal),
			    .cands = g_ptr_array_new_with_free_func(cand_free) };
	GPtrArray *out = g_ptr_array_new_with_free_func(candidate_free);

	lists_ready();
	from_address(&g, m->from_address);
	from_label(&g, m->from_name, PLACE_DISPLAY);
	for (size_t i = 0; rule_captures && rule_captures[i]; i++)
		from_label(&g, rule_captures[i], PLACE_RULE);

	const char *subject = m->subject ? subject_rest(m->subject) : "";
	g_autoptr(GArray) subject_tokens = tokenize(subject, strlen(subject), false);
	from_subject_tag(&g, subject);
	from_runs(&g, subject_tokens, PLACE_SUBJECT);

	const char *text = m->text ? m->text : "";
	size_t len = strlen(text);
	if (len > MAX_SCAN) {
		len = MAX_SCAN;
		while (len > 0 && ((unsigned char)text[len] & 0xC0) == 0x80)
			len--;
	}
	g_autoptr(GArray) body_tokens = tokenize(text, len, false);
	from_runs(&g, body_tokens, PLACE_BODY);
	from_signatures(&g, text, len);
	from_links(&g, m->links);

	prefixes_note(&g);
	count_mentions(&g, subject_tokens, false);
	count_mentions(&g, body_tokens, true);
	merge(&g);

	for (guint i = 0; i < g.cands->len; i++) {
		struct cand *c = g.cands->pdata[i];
		if (c->merged)
			continue;
		struct company_candidate *cc = g_new0(struct company_candidate, 1);
		GString *from = g_string_new(NULL);
		for (int p = 0; p < PLACE_COUNT; p++)
			if (c->places & (1u << p))
				g_string_append_printf(from, "%s%s", from->len ? "," : "", places[p].name);
		cc->name = shown_name(c);
		cc->score = cand_score(c);
		cc->from = g_string_free(from, FALSE);
		g_ptr_array_add(out, cc);
	}
	g_ptr_array_sort(out, by_candidate);

	g_hash_table_destroy(g.by_key);
	g_ptr_array_unref(g.cands);
	g_free(g.local);
	g_free(g.domain_key);
	g_free(g.tenant_key);
	g_free(g.person_key);
	return out;
}

const char *company_best(GPtrArray *candidates)
{
	if (!candidates || candidates->len == 0)
		return NULL;
	const struct company_candidate *c = candidates->pdata[0];
	return c->score >= COMPANY_MIN_SCORE ? c->name : NULL;
}
