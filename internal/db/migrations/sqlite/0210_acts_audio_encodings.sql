-- Compressed copies of an explanation's generated speech: Opus in Ogg and
-- MP3 beside the WAV (a 36-second WAV is 1.6 MB, its Opus some 100 KB).
-- NULL when the encoder was not installed when the audio was made.
ALTER TABLE act_explanations ADD COLUMN audio_opus_file_id INTEGER REFERENCES files(id);
ALTER TABLE act_explanations ADD COLUMN audio_mp3_file_id INTEGER REFERENCES files(id);
