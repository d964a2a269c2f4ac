/* SPDX-License-Identifier: GPL-3.0-or-later */
/* company_words.c - the words of the company reader: the lists that tell a company's name
 * from everything else a hiring mail writes in capitals (hiring words, event words, job
 * titles, given names), the lists of hiring systems, job boards, tools and mail hosts, and
 * the trigger phrases around an employer's name ("interest in", "is an equal opportunity
 * employer").
 *
 * The lists are data; they become two hash tables (words by W_* class, keys by K_* class,
 * company_internal.h), built once for all threads on first use and kept as long as the
 * process. The phrases are cut into words once, after the tables, and mark their last
 * words W_TRIGGER so that a token is tried against them only when it may end one.
 */
#include "apptrack/company.h"

#include "company_internal.h"

#include <stdbool.h>
#include <string.h>

/* ---- word lists (W_* classes) ---- */

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

/* ---- key lists (K_* classes) ---- */

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

/* ---- tables ---- */

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
void company_lists_ready(void)
{
	static GOnce once = G_ONCE_INIT;
	g_once(&once, lists_init, NULL);
	phrases_ready();
}

/* The W_* classes of the len bytes at w (any case). */
unsigned company_word_class(const char *w, size_t len)
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
	company_lists_ready();
	return (company_word_class(word, strlen(word)) & W_GIVEN) != 0;
}

/* The K_* classes of a key or a lower-case host label. */
unsigned company_key_class(const char *key)
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
	company_lists_ready();
	cls = company_key_class(key->str);
	return cls & K_HIRING_SYSTEM ? HOST_HIRING_SYSTEM
	       : cls & K_JOB_BOARD   ? HOST_JOB_BOARD
	       : cls & K_ASSESSMENT  ? HOST_ASSESSMENT
	       : cls & K_MAILHOST    ? HOST_MAIL_PROVIDER
				     : HOST_OTHER;
}

/* ---- triggers ---- */


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

/* The phrase of before_subject (subject) or before_body that ends just before token i (an
 * optional "the" between), or NULL. */
const struct phrase *company_phrase_before(GArray *tokens, size_t i, bool subject)
{
	const struct phrase *list = subject ? subject_phrases : body_phrases;
	size_t n = subject ? G_N_ELEMENTS(subject_phrases) : G_N_ELEMENTS(body_phrases);

	if (i > 0 && tok_is(TOK(tokens, i - 1), "the") && !(TOK(tokens, i)->flags & TK_BREAK) &&
	    !tok_is(TOK(tokens, i), "the"))
		i--;
	if (i == 0 || !(company_word_class(TOK(tokens, i - 1)->s, TOK(tokens, i - 1)->len) & W_TRIGGER))
		return NULL;
	for (size_t k = 0; k < n; k++)
		if (phrase_before(tokens, i, &list[k]))
			return &list[k];
	return NULL;
}

/* Does a phrase of after_name start at token j (the token after a name)? */
bool company_phrase_after(GArray *tokens, size_t j)
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
